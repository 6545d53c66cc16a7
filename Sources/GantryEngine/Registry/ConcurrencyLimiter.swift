/// Bounds how many requests run against each registry at once; waiters are served in order.
actor ConcurrencyLimiter {
    private let limit: Int
    private var running: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(limit: Int) { self.limit = limit }

    /// Waits for a slot for `key`.
    func acquire(_ key: String) async {
        if running[key, default: 0] < limit {
            running[key, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Frees a slot, handing it straight to the next waiter if there is one.
    func release(_ key: String) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue
            next.resume()
        } else {
            running[key, default: 1] -= 1
        }
    }

    /// Runs `body` holding a slot for `key`.
    func withSlot<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let value = try await body()
            release(key)
            return value
        } catch {
            release(key)
            throw error
        }
    }
}
