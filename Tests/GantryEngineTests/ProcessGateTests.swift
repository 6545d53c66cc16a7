import Foundation
import GantryTestSupport
import Testing

/// The gate that keeps the suite's load near the core count.
@Suite(.timeLimit(.minutes(1))) struct ProcessGateTests {
    @Test("never more holders than slots; waiters are served first come, first served")
    func slotsBoundTheHoldersInOrder() async throws {
        let gate = ProcessGate(slots: 2)
        let ledger = Ledger()
        await gate.acquire()
        await gate.acquire()  // both slots taken: everyone below queues, in the order they arrive
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<6 {
                group.addTask {
                    await gate.acquire()
                    await ledger.enter(n)
                    try await Task.sleep(for: .milliseconds(5))
                    await ledger.leave()
                    await gate.release()
                }
                try await poll("waiter \(n) queued") { await gate.waiting == n + 1 }
            }
            await gate.release()
            await gate.release()
            try await group.waitForAll()
        }
        #expect(await ledger.order == Array(0..<6))
        #expect(await ledger.most <= 2)
    }
}

/// Who held a slot, in which order, and the most at once.
private actor Ledger {
    private(set) var order: [Int] = []
    private(set) var most = 0
    private var holders = 0

    func enter(_ n: Int) {
        order.append(n)
        holders += 1
        most = max(most, holders)
    }

    func leave() { holders -= 1 }
}
