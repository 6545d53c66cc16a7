import Synchronization

/// Where engine tasks post events for the console; the loop takes them all at once each
/// turn, which is what coalesces a burst of events into one redraw.
public final class ConsoleInbox: Sendable {
    private let state = Mutex<(events: [TUIEvent], posted: Int)>(([], 0))

    public init() {}

    public func post(_ event: TUIEvent) {
        state.withLock {
            $0.events.append(event)
            $0.posted += 1
        }
    }

    public func post(contentsOf batch: [TUIEvent]) {
        state.withLock {
            $0.events.append(contentsOf: batch)
            $0.posted += batch.count
        }
    }

    /// Removes and returns every waiting event, oldest first.
    public func drain() -> [TUIEvent] {
        state.withLock { state in
            defer { state.events.removeAll(keepingCapacity: true) }
            return state.events
        }
    }

    /// Events waiting to be applied (the backlog).
    public var backlog: Int { state.withLock { $0.events.count } }

    /// Events posted since the inbox was made, for benchmarks.
    public var posted: Int { state.withLock { $0.posted } }
}
