import Foundation

/// The one gate every test that starts processes (registries, builds, gantry, tmux, skopeo)
/// passes through, so that the suite's load stays near the core count while pure tests run
/// in parallel beside them. Slots: `GANTRY_TEST_SLOTS`, else the number of active cores.
/// Waiters are served first come, first served; waiting holds no thread.
public actor ProcessGate {
    public static let shared = ProcessGate(slots: ProcessGate.configuredSlots)

    public let slots: Int
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0  // waiters before it were served; removal from the front is O(1)

    public init(slots: Int) {
        self.slots = max(1, slots)
        free = self.slots
    }

    /// How many tests wait for a slot now.
    public var waiting: Int { waiters.count - head }

    /// Waits for a slot.
    public func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Returns a slot, handing it straight to the longest waiter.
    public func release() {
        if head < waiters.count {
            let next = waiters[head]
            head += 1
            if head == waiters.count { waiters.removeAll(keepingCapacity: true); head = 0 }
            next.resume()
        } else {
            free = min(slots, free + 1)
        }
    }

    private static var configuredSlots: Int {
        if let text = ProcessInfo.processInfo.environment["GANTRY_TEST_SLOTS"], let slots = Int(text), slots > 0 { return slots }
        return ProcessInfo.processInfo.activeProcessorCount
    }
}
