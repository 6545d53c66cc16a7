/// Something the loop reads from a terminal.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    case resized(GridSize)
    /// SIGINT or SIGTERM arrived: cancel builds and leave.
    case interrupted(signal: Int32)
}

/// A terminal the console loop draws on: the ncurses backend, or a headless one for tests
/// and benchmarks.
public protocol ConsoleTerminal: Sendable {
    /// Takes over the terminal; returns its size and the theme it supports (nil: keep the console's).
    func start() async throws -> (size: GridSize, theme: Theme?)
    /// The next input, or nil when none arrived within `timeout`.
    func readInput(timeout: Duration) async -> TerminalInput?
    /// Shows `grid` (the backend draws only what changed since the last grid).
    func draw(_ grid: CellGrid) async
    /// Gives the terminal back in the state it was in before `start`.
    func stop() async
}
