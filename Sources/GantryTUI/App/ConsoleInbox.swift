import Synchronization

/// Where engine tasks post events for the console; the loop takes them all at once each
/// turn, which is what coalesces a burst of events into one redraw.
public final class ConsoleInbox: Sendable {
    private let events = Mutex<[TUIEvent]>([])

    public init() {}

    public func post(_ event: TUIEvent) {
        events.withLock { $0.append(event) }
    }

    public func post(contentsOf batch: [TUIEvent]) {
        events.withLock { $0.append(contentsOf: batch) }
    }

    /// Removes and returns every waiting event, oldest first.
    public func drain() -> [TUIEvent] {
        events.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }

    /// Events waiting to be applied (the backlog).
    public var backlog: Int { events.withLock { $0.count } }
}
