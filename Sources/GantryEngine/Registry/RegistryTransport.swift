import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One registry API request: the registry it goes to, the path (or an absolute URL the
/// registry handed out), and the auth scopes the operation needs.
struct RegistryRequest: Sendable {
    var method: HTTPMethod
    var registry: String
    var path: String
    var headers: [(String, String)] = []
    var body: Body?
    var scopes: [String]
    /// The most of the response body read into memory.
    var bodyLimit: BodyLimit = .document

    /// What a request sends: bytes, which a retry sends again, or a stream of known
    /// length, which can be sent only once (a request with one is never retried).
    enum Body: Sendable {
        case bytes(Data)
        case stream(HTTPClientRequest.Body)
    }

    /// Whether the request can be sent again after a failure.
    var isReplayable: Bool {
        if case .stream = body { return false }
        return true
    }

    /// `METHOD registry/path` for messages; never includes headers.
    var label: String { "\(method.rawValue) \(registry)\(path.hasPrefix("http") ? "" : path)" }
}

/// A response: its body received whole, or, for a streamed GET that succeeded, left in
/// `stream` to be read as it arrives (a blob is never held in memory).
struct RegistryResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var stream: HTTPClientResponse.Body?

    init(status: Int, headers: HTTPHeaders, body: Data, stream: HTTPClientResponse.Body? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Sends registry requests: HTTP or HTTPS per host, auth challenges answered, a per-registry
/// concurrency limit, retries with backoff for connection errors, 5xx and 429 (of requests
/// that can be sent again), identical in-flight GET/HEAD requests shared, every request counted.
final class RegistryTransport: Sendable {
    let configuration: RegistryClientConfiguration
    private let http: HTTPClient
    private let authenticator: RegistryAuthenticator
    private let limiter: ConcurrencyLimiter
    private let inFlight = InFlightRequests<RegistryResponse>()
    let counter = RequestCounter()

    init(configuration: RegistryClientConfiguration, credentials: CredentialStore) {
        self.configuration = configuration
        var http = HTTPClient.Configuration(
            tlsConfiguration: configuration.trust.tlsConfiguration, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: Self.timeAmount(configuration.requestTimeout)))
        // A blob streamed within one registry holds two connections in one slot (see `withSlots`).
        http.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 2 * configuration.maxConcurrentRequestsPerRegistry)
        // Connection failures come back at once and go through the client's own bounded retries.
        http.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        self.authenticator = RegistryAuthenticator(credentials: credentials, configuration: configuration)
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequestsPerRegistry)
    }

    func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `request`, sharing the answer with an identical request already in flight.
    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        guard request.body == nil, request.method == .GET || request.method == .HEAD else {
            return try await sendUnshared(request, holdingSlots: false)
        }
        let key = ([request.method.rawValue, request.registry, request.path] + request.scopes
            + request.headers.map { "\($0)=\($1)" }).joined(separator: "\n")
        return try await inFlight.run(key) { try await self.sendUnshared(request, holdingSlots: false) }
    }

    /// Runs `body` holding one request slot of each registry in `registries`, taken together:
    /// a blob streamed from one registry into another keeps a request open in both.
    /// Requests inside `body` are sent with `sendHoldingSlots`.
    func withSlots<T: Sendable>(_ registries: Set<String>, _ body: @Sendable () async throws -> T) async throws -> T {
        try await limiter.withSlots(registries, body)
    }

    /// Sends `request` inside `withSlots`. With `streamingResponse`, a successful GET's body
    /// is left in `RegistryResponse.stream` for the caller to read.
    func sendHoldingSlots(_ request: RegistryRequest, streamingResponse: Bool = false) async throws -> RegistryResponse {
        try await sendUnshared(request, holdingSlots: true, streamingResponse: streamingResponse)
    }

    private func sendUnshared(_ request: RegistryRequest, holdingSlots: Bool, streamingResponse: Bool = false) async throws -> RegistryResponse {
        var retries = 0
        var answeredChallenge = false
        while true {
            try Task.checkCancellation()
            let response: RegistryResponse
            do {
                let authorization = try await authenticator.authorization(
                    host: request.registry, scopes: request.scopes, fetch: { try await self.fetchToken($0, $1) })
                if holdingSlots {
                    response = try await execute(request, authorization: authorization, streamingResponse: streamingResponse)
                } else {
                    response = try await limiter.withSlots([request.registry]) {
                        try await self.execute(request, authorization: authorization, streamingResponse: false)
                    }
                }
            } catch let error as RegistryError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let (failure, phrase) = ConnectionFailure.classify(error, host: request.registry)
                // A certificate no retry makes trusted.
                guard request.isReplayable, retries < configuration.maxRetries, failure != .untrustedCertificate else {
                    throw RegistryError(.transport, "\(request.label): \(phrase)" + (retries > 0 ? " (after \(retries) retries)" : ""), connection: failure)
                }
                retries += 1
                try await backoff(retries, retryAfter: nil)
                continue
            }
            switch response.status {
            case 401 where !answeredChallenge && request.isReplayable:
                answeredChallenge = true
                try await authenticator.challenged(
                    host: request.registry, header: response.header("WWW-Authenticate"), scopes: request.scopes, request: request.label)
            case 401:
                var error = RegistryError.from(status: 401, body: response.body, request: request.label)
                error.message += await authenticator.hasCredential(for: request.registry)
                    ? " (the registry refused the configured credentials)"
                    : " (no credentials for \(request.registry) in the docker config)"
                throw error
            case 429, 500, 502...599:
                guard request.isReplayable, retries < configuration.maxRetries else { return response }
                retries += 1
                try await backoff(retries, retryAfter: response.header("Retry-After"))
            default:
                return response
            }
        }
    }

    /// Waits before retry number `attempt`: the registry's `Retry-After` when given, else
    /// exponential backoff with jitter.
    func backoff(_ attempt: Int, retryAfter: String?) async throws {
        if let retryAfter, let wait = Self.parseRetryAfter(retryAfter) {
            try await Task.sleep(for: min(wait, configuration.maxRetryAfter))
            return
        }
        let base = configuration.retryBaseDelay * (1 << min(attempt - 1, 6))
        try await Task.sleep(for: base * Double.random(in: 0.5...1.5))
    }

    /// `Retry-After` as delay-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000)))
    }

    /// The request for a URL the answer to `request` named (an upload `Location`, a `Link`),
    /// checked by the origin rule. One on another origin goes there as to a registry of its
    /// own: it carries that origin's credentials only, never `request`'s.
    func follow(_ location: String, from request: RegistryRequest) throws(RegistryError) -> RegistryRequest {
        let home = Origin(registry: request.registry, configuration: configuration)
        let (url, target) = try Origin.follow(location, from: absoluteURL(of: request), configuration: configuration)
        var next = request
        next.registry = target == home ? request.registry : target.authority
        next.path = url
        return next
    }

    /// The absolute URL `request` goes to.
    func absoluteURL(of request: RegistryRequest) -> String {
        request.path.hasPrefix("http") ? request.path : configuration.baseURL(request.registry) + request.path
    }

    /// One HTTP exchange, following redirects the origin rule allows; `authorization` goes
    /// only to the origin of `request.registry`.
    private func execute(_ request: RegistryRequest, authorization: String?, streamingResponse: Bool) async throws -> RegistryResponse {
        let home = Origin(registry: request.registry, configuration: configuration)
        var url = absoluteURL(of: request)
        for _ in 0..<6 {
            var headers = request.headers
            if let authorization, URL(string: url).flatMap(Origin.init) == home { headers.append(("Authorization", authorization)) }
            let response = try await exchange(
                request.method, url: url, headers: headers, body: request.body, limit: request.bodyLimit, streamingResponse: streamingResponse)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location"),
                request.method == .GET || request.method == .HEAD
            else { return response }
            url = try Origin.follow(location, from: url, configuration: configuration).url
        }
        throw RegistryError(.invalidResponse, "\(request.label): too many redirects")
    }

    /// GET of a token endpoint; counted like every other request.
    private func fetchToken(_ url: String, _ headers: [(String, String)]) async throws -> RegistryResponse {
        do {
            return try await exchange(.GET, url: url, headers: headers, body: nil, limit: .document, streamingResponse: false)
        } catch let error as RegistryError {
            throw error
        } catch {
            let host = URL(string: url)?.host ?? "token endpoint"
            let (failure, phrase) = ConnectionFailure.classify(error, host: host)
            throw RegistryError(.transport, "token request to \(host): \(phrase)", connection: failure)
        }
    }

    /// One HTTP request, its response body read whole (unless streamed) within `limit` and the
    /// request's deadline, which covers the body too: a registry sending a byte a second
    /// would otherwise keep the request alive as long as it likes.
    private func exchange(
        _ method: HTTPMethod, url: String, headers: [(String, String)], body: RegistryRequest.Body?, limit: BodyLimit, streamingResponse: Bool
    ) async throws -> RegistryResponse {
        var http = HTTPClientRequest(url: url)
        http.method = method
        // A registry's own CA is trusted for its origin alone.
        if let origin = URL(string: url).flatMap(Origin.init), origin.scheme == "https" {
            http.tlsConfiguration = configuration.trust.registryTLSConfiguration(for: origin.authority)
        }
        http.headers.add(name: "User-Agent", value: "gantry/\(GantryVersion.current)")
        for (name, value) in headers { http.headers.add(name: name, value: value) }
        // The deadline covers a request until its response head: for an upload, its whole body.
        var timeout = configuration.requestTimeout
        switch body {
        case .bytes(let data): http.body = .bytes(data)
        case .stream(let stream):
            http.body = stream
            timeout = configuration.transferTimeout
        case nil: break
        }
        let path = URL(string: url)?.path ?? url
        await counter.count(method: method.rawValue, path: path)
        let start = ContinuousClock.now
        let response = try await self.http.execute(http, timeout: Self.timeAmount(timeout))
        let status = Int(response.status.code)
        if streamingResponse, method == .GET, status == 200 {
            return RegistryResponse(status: status, headers: response.headers, body: Data(), stream: response.body)
        }
        guard method != .HEAD else { return RegistryResponse(status: status, headers: response.headers, body: Data()) }
        let bytes = try await BoundedBody.read(
            response, limit: limit, timeout: timeout, startedAt: start,
            host: URL(string: url).flatMap(Origin.init)?.authority ?? url, request: "\(method.rawValue) \(path)")
        return RegistryResponse(status: status, headers: response.headers, body: bytes)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
