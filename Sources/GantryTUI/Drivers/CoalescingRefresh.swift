/// Runs a refresh on one long-lived task, however often it is asked for: requests made while
/// it runs merge into one run after it (the latest wins), so a storm of build events costs a
/// few refreshes that each see the newest state, not a task per event racing the others.
final class CoalescingRefresh: Sendable {
    private let requests: AsyncStream<Void>.Continuation
    private let consumer: Task<Void, Never>

    init(_ refresh: @escaping @Sendable () async -> Void) {
        let (stream, requests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.requests = requests
        consumer = Task {
            for await _ in stream { await refresh() }
        }
    }

    /// Asks for a refresh after the one running, if any.
    func request() { requests.yield() }

    /// No more refreshes; waits for the one running.
    func stop() async {
        requests.finish()
        await consumer.value
    }
}
