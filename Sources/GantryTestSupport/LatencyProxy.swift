import Foundation

/// A loopback HTTP proxy in front of a registry that delays every response by a fixed
/// time, to make request counts and parallelism visible in wall time. It records every
/// request it forwards, so a benchmark counts what a client really sent.
public final class LatencyProxy: @unchecked Sendable {
    /// A request as the proxy saw it.
    public struct Request: Sendable, Hashable {
        public var method: String
        public var path: String

        /// `HEAD manifest`, `GET blob`, `PUT manifest`...: see `LoopbackHTTPServer.Request.kind`.
        public var kind: String { LoopbackHTTPServer.Request.kind(method: method, path: path) }
    }

    private let server: LoopbackHTTPServer
    private let log: RequestLog<Request>

    /// `127.0.0.1:PORT` to use instead of the upstream's host.
    public var host: String { server.host }

    public init(upstreamPort: Int, delay: Duration) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstreamPort)
        let log = RequestLog<Request>()
        self.log = log
        server = try LoopbackHTTPServer { request in
            log.append(Request(method: request.method, path: request.path))
            let response = forwarder.forward(request)
            // The delay is the simulated network latency under test, not synchronisation.
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            return response
        }
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { log.entries }

    public func stop() { server.stop() }
}

/// Requests recorded by server threads.
final class RequestLog<Entry>: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [Entry] = []
    func append(_ request: Entry) { lock.withLock { requests.append(request) } }
    var entries: [Entry] { lock.withLock { requests } }
}
