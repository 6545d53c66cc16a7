import Glibc

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
        /// Let time pass until the last grid drawn satisfies `condition` (or `deadline` passes).
        case untilScreen(deadline: Duration, condition: @Sendable (CellGrid) -> Bool)
    }

    private let size: GridSize
    private var script: [Step]
    private var pendingIdle: ContinuousClock.Instant?
    /// How long the console may run on once the script is played out before the terminal
    /// closes (a hangup): a script that no longer matches the console ends it, never hangs it.
    private let hangUpAfterScript: Duration
    private var playedOutAt: ContinuousClock.Instant?
    /// The last grid drawn.
    public private(set) var lastGrid: CellGrid?
    /// How many frames were drawn.
    public private(set) var frames = 0
    public private(set) var isStopped = false

    public init(size: GridSize, script: [Step], hangUpAfterScript: Duration = .seconds(120)) {
        self.size = size
        self.script = script
        self.hangUpAfterScript = hangUpAfterScript
    }

    public func start() async throws -> (size: GridSize, theme: Theme?) { (size, nil) }

    public func readInput(timeout: Duration) async -> TerminalInput? {
        // A cancelled caller (a test past its time limit) ends the console as SIGTERM would.
        if Task.isCancelled { return .interrupted(signal: SIGTERM) }
        while let step = script.first {
            let over: Bool
            switch step {
            case .input(let input):
                script.removeFirst()
                return input
            case .idle(let duration):
                over = await pause(for: duration, timeout: timeout, done: false)
            case .until(let deadline, let condition):
                over = await pause(for: deadline, timeout: timeout, done: condition())
            case .untilScreen(let deadline, let condition):
                over = await pause(for: deadline, timeout: timeout, done: lastGrid.map(condition) ?? false)
            }
            if !over { return nil }
        }
        // Out of script: wait out the timeout like a terminal with no key pressed, then hang up.
        let clock = ContinuousClock()
        let playedOut = playedOutAt ?? clock.now
        playedOutAt = playedOut
        if clock.now - playedOut >= hangUpAfterScript { return .interrupted(signal: SIGHUP) }
        try? await Task.sleep(for: timeout, tolerance: .milliseconds(1))
        return nil
    }

    /// One turn of a waiting step that lasts at most `duration`: true (and the step removed)
    /// once it is `done` or its time is up; else sleeps until then or `timeout`, like a
    /// terminal with no key pressed, and returns false.
    private func pause(for duration: Duration, timeout: Duration, done: Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = pendingIdle ?? clock.now.advanced(by: duration)
        pendingIdle = end
        if done || clock.now >= end {
            pendingIdle = nil
            script.removeFirst()
            return true
        }
        try? await Task.sleep(until: min(end, clock.now.advanced(by: timeout)), tolerance: .milliseconds(1), clock: clock)
        return false
    }

    public func draw(_ grid: CellGrid) async {
        lastGrid = grid
        frames += 1
    }

    public func stop() async { isStopped = true }
}
