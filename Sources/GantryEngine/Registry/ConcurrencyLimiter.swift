/// Bounds how many requests run against each registry at once. A caller may take a slot
/// of several registries together (a blob streamed from one into another); waiters are
/// served in order among those that share a registry, so none is overtaken forever, and
/// a waiter for one registry never holds up another registry's.
///
/// Each registry has its own queue of waiters, and a waiter goes when it heads the queue of
/// every registry it waits for and each has a free slot: taking or freeing a slot costs the
/// same with 20,000 waiters as with one (an audit of every tag queues one per tag).
actor ConcurrencyLimiter {
    private final class Waiter {
        let keys: Set<String>
        let continuation: CheckedContinuation<Void, Never>

        init(keys: Set<String>, continuation: CheckedContinuation<Void, Never>) {
            self.keys = keys
            self.continuation = continuation
        }
    }

    private let limit: Int
    private var running: [String: Int] = [:]
    private var queues: [String: FIFOQueue<Waiter>] = [:]

    init(limit: Int) { self.limit = limit }

    /// Waits until every key of `keys` has a free slot, then takes them all at once (taking
    /// them one by one could deadlock two transfers going opposite ways).
    func acquire(_ keys: Set<String>) async {
        if fits(keys), keys.allSatisfy({ queues[$0]?.isEmpty ?? true }) {
            take(keys)
            return
        }
        await withCheckedContinuation { continuation in
            let waiter = Waiter(keys: keys, continuation: continuation)
            for key in keys { queues[key, default: FIFOQueue()].append(waiter) }
        }
    }

    /// Frees the slots of `keys`, handing them to the waiters that can go now: the heads of
    /// those registries' queues, then, for each waiter that went, the new heads of its other
    /// registries' queues.
    func release(_ keys: Set<String>) {
        for key in keys { running[key, default: 1] -= 1 }
        var candidates = Array(keys)
        while let key = candidates.popLast() {
            guard let waiter = queues[key]?.first, fits(waiter.keys),
                waiter.keys.allSatisfy({ queues[$0]?.first === waiter })
            else { continue }
            for key in waiter.keys {
                queues[key]?.removeFirst()
                if queues[key]?.isEmpty == true { queues[key] = nil }
            }
            take(waiter.keys)
            waiter.continuation.resume()
            candidates += waiter.keys
        }
    }

    /// Runs `body` holding a slot of every key in `keys`.
    func withSlots<T: Sendable>(_ keys: Set<String>, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(keys)
        do {
            let value = try await body()
            release(keys)
            return value
        } catch {
            release(keys)
            throw error
        }
    }

    private func fits(_ keys: Set<String>) -> Bool {
        keys.allSatisfy { running[$0, default: 0] < limit }
    }

    private func take(_ keys: Set<String>) {
        for key in keys { running[key, default: 0] += 1 }
    }
}
