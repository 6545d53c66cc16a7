import Synchronization

/// A request to stop at the next safe point (Ctrl-C while publishing): work in flight
/// finishes, nothing new starts. Unlike task cancellation it never aborts a registry write
/// halfway, so the journal always says exactly which tags were written.
public final class StopRequest: Sendable {
    private let requested = Mutex(false)

    public init() {}

    public func request() { requested.withLock { $0 = true } }

    public var isRequested: Bool { requested.withLock { $0 } }
}
