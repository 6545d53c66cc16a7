import Foundation

/// A loopback HTTP proxy in front of a registry that delays every response by a fixed
/// time, to make request counts and parallelism visible in wall time.
public final class LatencyProxy: @unchecked Sendable {
    private let server: LoopbackHTTPServer
    private let counter: Counter

    /// `127.0.0.1:PORT` to use instead of the upstream's host.
    public var host: String { server.host }

    public init(upstreamPort: Int, delay: Duration) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstreamPort)
        let counter = Counter()
        self.counter = counter
        server = try LoopbackHTTPServer { request in
            let response = forwarder.forward(request)
            // The delay is the simulated network latency under test, not synchronisation.
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            counter.increment()
            return response
        }
    }

    /// Responses served so far.
    public var responses: Int { counter.value }

    public func stop() { server.stop() }
}

/// A locked integer shared between server threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
