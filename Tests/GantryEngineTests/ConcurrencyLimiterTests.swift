@testable import GantryEngine
import Testing

/// The per-registry request limit under many waiters: every one goes, none past the limit.
@Suite(.timeLimit(.minutes(1))) struct ConcurrencyLimiterTests {
    /// How many run at once per key, and the most seen.
    actor Gauge {
        var running: [String: Int] = [:]
        var most: [String: Int] = [:]
        var done = 0
        func enter(_ keys: Set<String>) {
            for key in keys {
                running[key, default: 0] += 1
                most[key] = max(most[key] ?? 0, running[key]!)
            }
        }
        func leave(_ keys: Set<String>) {
            for key in keys { running[key, default: 0] -= 1 }
            done += 1
        }
    }

    @Test("20,000 waiters on one registry and on two together all go, never more than the limit per registry at once")
    func manyWaitersAllGoWithinTheLimit() async throws {
        let limiter = ConcurrencyLimiter(limit: 8)
        let gauge = Gauge()
        let shapes: [Set<String>] = [["a"], ["b"], ["a", "b"], ["a"]]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20_000 {
                let keys = shapes[i % shapes.count]
                group.addTask {
                    try await limiter.withSlots(keys) {
                        await gauge.enter(keys)
                        await Task.yield()
                        await gauge.leave(keys)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.done == 20_000)
        let most = await gauge.most
        #expect(most.values.allSatisfy { $0 <= 8 }, "\(most)")
    }
}
