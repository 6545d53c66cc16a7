import Foundation

/// A loopback HTTP proxy in front of a registry that answers chosen requests with faults
/// (an error status, a 429 with `Retry-After`, bytes that do not match their digest, a
/// reset connection, a stall) a given number of times, and records when each request
/// arrived. Rules pick requests by method and path, or by their place in the stream.
public final class FaultInjectingProxy: @unchecked Sendable {
    /// What to do instead of (or to) the upstream's answer.
    public enum Fault: Sendable {
        /// Answer with this status and headers without asking the upstream.
        case status(Int, headers: [(String, String)] = [])
        /// Forward, then change one byte of the response body (same length).
        case corruptBody
        /// Run `action` with the request (another client moving a tag, say), then forward.
        case before(@Sendable (LoopbackHTTPServer.Request) -> Void)
        /// Forward the request with this body and content type instead of its own: a
        /// registry that stores another body than the one sent.
        case storeInstead(Data, contentType: String)
        /// Reset the connection without answering (nothing is forwarded).
        case reset
        /// Wait `duration` (past the client's timeout), then forward: a slow registry that
        /// still does the work.
        case stall(Duration)
    }

    /// A fault for requests whose method matches and whose path contains `pathContains`,
    /// or for the request at one place in the stream (`ordinal`, 1-based).
    public struct Rule: Sendable {
        public var method: String?
        public var pathContains: String
        public var ordinal: Int?
        public var fault: Fault
        /// How many matching requests get the fault; later ones are forwarded untouched.
        public var times: Int

        public init(method: String, pathContains: String, fault: Fault, times: Int = 1) {
            self.method = method
            self.pathContains = pathContains
            self.fault = fault
            self.times = times
        }

        /// The `ordinal`-th request the proxy receives (counted from the last `arm`).
        public init(request ordinal: Int, fault: Fault) {
            self.pathContains = ""
            self.ordinal = ordinal
            self.fault = fault
            self.times = 1
        }
    }

    /// A request as the proxy saw it.
    public struct Entry: Sendable {
        public var method: String
        public var path: String
        /// The path with its query (`/v2/app/blobs/uploads/…?digest=sha256:…`).
        public var target: String
        public var arrived: ContinuousClock.Instant
        /// When the proxy answered it (after the upstream did, or the fault); nil while in flight.
        public var answered: ContinuousClock.Instant?
        public var faulted: Bool

        /// `HEAD manifest`, `GET blob`, `PUT manifest`...: see `LoopbackHTTPServer.Request.kind`.
        public var kind: String { LoopbackHTTPServer.Request.kind(method: method, path: path) }
    }

    private let server: LoopbackHTTPServer
    private let state: State

    /// `127.0.0.1:PORT` to use instead of the upstream's host.
    public var host: String { server.host }

    public init(upstreamPort: Int, rules: [Rule]) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstreamPort)
        let state = State(rules: rules)
        self.state = state
        server = try LoopbackHTTPServer { request in
            let (fault, entry) = state.take(request)
            defer { state.answered(entry) }
            switch fault {
            case nil:
                return forwarder.forward(request)
            case .status(let status, let headers):
                let body = Data(#"{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}"#.utf8)
                return .init(status: status, headers: headers + [("Content-Type", "application/json")], body: body)
            case .corruptBody:
                return Self.corrupt(forwarder.forward(request))
            case .before(let action):
                action(request)
                return forwarder.forward(request)
            case .storeInstead(let body, let contentType):
                var replaced = request
                replaced.body = body
                replaced.headers = request.headers.map { header in
                    switch header.name.lowercased() {
                    case "content-length": (header.name, "\(body.count)")
                    case "content-type": (header.name, contentType)
                    default: header
                    }
                }
                return forwarder.forward(replaced)
            case .reset:
                return .connectionReset
            case .stall(let duration):
                // The stall is the fault under test (simulated latency), not synchronisation.
                Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
                return forwarder.forward(request)
            }
        }
    }

    /// Every request received so far, in arrival order.
    public var log: [Entry] { state.entries }

    /// Replaces the rules and starts counting requests (and the log) afresh.
    public func arm(_ rules: [Rule]) { state.arm(rules) }

    public func stop() { server.stop() }

    /// Flips the last byte of the body, keeping the length and headers.
    private static func corrupt(_ response: LoopbackHTTPServer.Response) -> LoopbackHTTPServer.Response {
        var bytes = response.bytes
        guard let head = bytes.range(of: Data("\r\n\r\n".utf8)), head.upperBound < bytes.endIndex else { return response }
        let last = bytes.index(before: bytes.endIndex)
        bytes[last] = bytes[last] == UInt8(ascii: " ") ? UInt8(ascii: "\n") : UInt8(ascii: " ")
        return .init(bytes: bytes)
    }

    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var rules: [Rule]
        private var log: [Entry] = []

        init(rules: [Rule]) { self.rules = rules }

        func arm(_ rules: [Rule]) {
            lock.withLock {
                self.rules = rules
                log = []
            }
        }

        /// The fault for `request`, and its place in the log.
        func take(_ request: LoopbackHTTPServer.Request) -> (Fault?, Int) {
            lock.withLock {
                let ordinal = log.count + 1
                let index = rules.firstIndex { rule in
                    guard rule.times > 0 else { return false }
                    if let wanted = rule.ordinal { return wanted == ordinal }
                    return rule.method == request.method && request.path.contains(rule.pathContains)
                }
                if let index { rules[index].times -= 1 }
                log.append(Entry(method: request.method, path: request.path, target: request.target, arrived: .now, faulted: index != nil))
                return (index.map { rules[$0].fault }, log.count - 1)
            }
        }

        /// Marks the log's entry `index` answered (unless an `arm` cleared the log since).
        func answered(_ index: Int) {
            lock.withLock { if log.indices.contains(index), log[index].answered == nil { log[index].answered = .now } }
        }

        var entries: [Entry] { lock.withLock { log } }
    }
}

/// Runs `body` with a fault proxy in front of `registry`, always stopped afterwards.
public func withFaultInjectingProxy<T>(
    in front: RegistryServer, _ rules: [FaultInjectingProxy.Rule], _ body: (FaultInjectingProxy) async throws -> T
) async throws -> T {
    let proxy = try FaultInjectingProxy(upstreamPort: front.port, rules: rules)
    defer { proxy.stop() }
    return try await body(proxy)
}
