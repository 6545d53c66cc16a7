import GantryEngine

/// How the console ended.
public enum ConsoleOutcome: Hashable, Sendable {
    /// The user quit (after cancelling builds if any ran).
    case quit
    /// The user went back to the Home this console was opened from: the caller opens it again, live.
    case home
    /// SIGINT or SIGTERM.
    case interrupted(signal: Int32)
    /// The user chose to resume this release: the caller takes over the terminal.
    case resume(id: String)
    /// The user chose a version to release (validated): the caller takes over the terminal.
    case release(version: String)
    /// The user chose platforms to publish under a version (read from a CI run's digests or
    /// metadata files, checked in the registries): the caller publishes them.
    case publish(version: String, sources: [PlatformSource])
    /// The user chose the repair of an audit finding (checked to open): the caller runs it in the release console.
    case repair(RepairOperation)
}

/// Runs the console: reads input with a timeout, applies the inbox's events in batches,
/// redraws at most 30 times a second and only when something changed.
public struct ConsoleLoop: Sendable {
    /// How long to wait for a key when nothing needs drawing.
    public var idlePoll: Duration = .milliseconds(100)
    public var maxFramesPerSecond: Double = 30

    public init() {}

    /// Runs until the user quits or a signal arrives; `onIntent` carries out what the user asked
    /// (it is awaited, so keep it short: start engine work in a task).
    public func run(
        _ initial: Console, terminal: some ConsoleTerminal, inbox: ConsoleInbox,
        onIntent: @Sendable (ConsoleIntent) async -> Void
    ) async throws -> (ConsoleOutcome, Console) {
        var console = initial
        let started = try await terminal.start()
        var size = started.size
        if let theme = started.theme { console.theme = theme }
        var pacer = FramePacer(maxFramesPerSecond: maxFramesPerSecond)
        let clock = ContinuousClock()
        let origin = clock.now
        func now() -> Double { (clock.now - origin).seconds }
        let idle = idlePoll.seconds
        var lastEvents = -Double.infinity
        while true {
            // While events stream in (any in the last second), poll at the frame rate so each
            // frame shows the newest state; once quiet, poll slowly to use no CPU.
            let t0 = now()
            let poll = t0 - lastEvents < 1 ? pacer.interval : idle
            let wait = pacer.wait(dirty: console.isDirty || inbox.backlog > 0, now: t0, idle: poll)
            var intents: [ConsoleIntent] = []
            switch await terminal.readInput(timeout: .seconds(wait)) {
            case .key(let key)?: intents = console.handle(key)
            case .resized(let newSize)?: size = newSize; console.invalidate()
            case .interrupted(let signal)?:
                await onIntent(.cancelBuilds)
                await terminal.stop()
                return (.interrupted(signal: signal), console)
            case nil: break
            }
            let events = inbox.drain()
            let t = now()
            if !events.isEmpty {
                console.apply(events, now: t)
                lastEvents = t
            }
            if let outcome = console.exitRequest {
                await terminal.stop()
                return (outcome, console)
            }
            console.tick(now: t)
            for intent in intents {
                await onIntent(intent)
                if intent == .quit || intent == .home {
                    await terminal.stop()
                    return (intent == .quit ? .quit : .home, console)
                }
                if case .resume(let id) = intent {
                    await terminal.stop()
                    return (.resume(id: id), console)
                }
            }
            if pacer.mayDraw(dirty: console.isDirty, now: t) {
                await terminal.draw(console.render(size: size, now: t))
                pacer.drew(at: t)
            }
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
