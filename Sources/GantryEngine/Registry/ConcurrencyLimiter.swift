/// Bounds how many requests run against each registry at once. A caller may take a slot
/// of several registries together (a blob streamed from one into another); waiters are
/// served in order among those that share a registry, so none is overtaken forever, and
/// a waiter for one registry never holds up another registry's.
actor ConcurrencyLimiter {
    private struct Waiter {
        var keys: Set<String>
        var continuation: CheckedContinuation<Void, Never>
    }

    private let limit: Int
    private var running: [String: Int] = [:]
    private var waiting: [Waiter] = []

    init(limit: Int) { self.limit = limit }

    /// Waits until every key of `keys` has a free slot, then takes them all at once (taking
    /// them one by one could deadlock two transfers going opposite ways).
    func acquire(_ keys: Set<String>) async {
        if fits(keys), !waiting.contains(where: { !$0.keys.isDisjoint(with: keys) }) {
            take(keys)
            return
        }
        await withCheckedContinuation { waiting.append(Waiter(keys: keys, continuation: $0)) }
    }

    /// Frees the slots of `keys`, handing them to the waiters that can go now.
    func release(_ keys: Set<String>) {
        for key in keys { running[key, default: 1] -= 1 }
        var blocked = Set<String>()
        var still: [Waiter] = []
        for waiter in waiting {
            if waiter.keys.isDisjoint(with: blocked), fits(waiter.keys) {
                take(waiter.keys)
                waiter.continuation.resume()
            } else {
                blocked.formUnion(waiter.keys)
                still.append(waiter)
            }
        }
        waiting = still
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
