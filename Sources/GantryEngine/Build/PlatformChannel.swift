import Synchronization

/// Where one platform's events go: onto the runner's event stream, with log lines also
/// kept in a bounded ring for the failure report. Called from the build's own task.
final class PlatformChannel: Sendable {
    let platform: Platform
    private let continuation: AsyncStream<BuildEvent>.Continuation
    private let ring: Mutex<LogRing>

    init(platform: Platform, continuation: AsyncStream<BuildEvent>.Continuation, ringCapacity: Int) {
        self.platform = platform
        self.continuation = continuation
        self.ring = Mutex(LogRing(capacity: ringCapacity))
    }

    func emit(_ kind: BuildEvent.Kind) {
        if case .log(let line) = kind { ring.withLock { $0.append(line) } }
        continuation.yield(BuildEvent(platform, kind))
    }

    /// The last `count` log lines, oldest first.
    func recentLog(_ count: Int) -> [String] {
        ring.withLock { $0.last(count) }
    }
}
