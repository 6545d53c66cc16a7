/// A terminal without a screen: it plays a script of inputs and keeps every grid drawn, so
/// tests and the `tui` benchmark run the real console loop.
public actor HeadlessTerminal: ConsoleTerminal {
    /// One step of the script.
    public enum Step: Sendable {
        case input(TerminalInput)
        /// Let time pass with no input (the loop keeps applying events and drawing).
        case idle(Duration)
        /// Let time pass until `condition` holds (or `deadline` passes), then go on.
        case until(deadline: Duration, condition: @Sendable () -> Bool)
    }

    private let size: GridSize
    private var script: [Step]
    private var pendingIdle: ContinuousClock.Instant?
    /// The last grid drawn.
    public private(set) var lastGrid: CellGrid?
    /// How many frames were drawn.
    public private(set) var frames = 0
    public private(set) var isStopped = false

    public init(size: GridSize, script: [Step]) {
        self.size = size
        self.script = script
    }

    public func start() async throws -> (size: GridSize, theme: Theme?) { (size, nil) }

    public func readInput(timeout: Duration) async -> TerminalInput? {
        let clock = ContinuousClock()
        while let step = script.first {
            switch step {
            case .input(let input):
                script.removeFirst()
                return input
            case .idle(let duration):
                let end = pendingIdle ?? clock.now.advanced(by: duration)
                pendingIdle = end
                if clock.now >= end { pendingIdle = nil; script.removeFirst(); continue }
                try? await Task.sleep(until: min(end, clock.now.advanced(by: timeout)), tolerance: .milliseconds(1), clock: clock)
                return nil
            case .until(let deadline, let condition):
                let end = pendingIdle ?? clock.now.advanced(by: deadline)
                pendingIdle = end
                if condition() || clock.now >= end { pendingIdle = nil; script.removeFirst(); continue }
                try? await Task.sleep(until: min(end, clock.now.advanced(by: timeout)), tolerance: .milliseconds(1), clock: clock)
                return nil
            }
        }
        // Out of script: wait out the timeout like a terminal with no key pressed.
        try? await Task.sleep(for: timeout, tolerance: .milliseconds(1))
        return nil
    }

    public func draw(_ grid: CellGrid) async {
        lastGrid = grid
        frames += 1
    }

    public func stop() async { isStopped = true }
}
