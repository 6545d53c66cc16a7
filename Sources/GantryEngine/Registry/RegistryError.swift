import Foundation

/// A registry operation that failed, with a message that says which registry, what
/// was asked and what the registry answered. Never contains credentials or tokens.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarsely, for callers that branch on it.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// 401 after answering the challenge, or no credentials for a registry that wants them.
        case unauthorized
        /// 403 or `DENIED`.
        case denied
        /// 404 / `MANIFEST_UNKNOWN` / `BLOB_UNKNOWN` / `NAME_UNKNOWN`.
        case notFound
        /// Content whose sha256 is not the digest asked for.
        case digestMismatch
        /// 429 after every retry.
        case tooManyRequests
        /// 5xx after every retry.
        case server
        /// Connection refused, reset, TLS failure, or a timeout.
        case transport
        /// A response the client cannot make sense of.
        case invalidResponse
        /// A credential store or helper that failed.
        case credentials
        /// Something the client does not implement (a non-sha256 digest, say).
        case unsupported
        /// Any other 4xx.
        case rejected
        /// A URL the registry sent that the origin rule refuses to follow (see `Origin`).
        case unsafeURL
        /// An answer that broke one of the client's bounds (`bound` says which); never asked for again.
        case boundExceeded
    }

    /// One entry of a registry's `{"errors":[...]}` body.
    public struct Detail: Sendable, Equatable, Codable {
        public var code: String
        public var message: String?
    }

    public var kind: Kind
    public var message: String
    /// HTTP status, when there was a response.
    public var status: Int?
    /// The registry's error codes (`MANIFEST_UNKNOWN`, `DENIED`, ...), in order.
    public var details: [Detail]
    /// The bound an answer broke, for `boundExceeded`.
    public var bound: RegistryBound?
    /// Why the connection failed, for a `transport` error that had no response.
    public var connection: ConnectionFailure?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, details: [Detail] = [], connection: ConnectionFailure? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.details = details
        self.connection = connection
    }

    /// `host` broke `bound` answering `request` (`GET /v2/acme/app/manifests/1`).
    init(exceeding bound: RegistryBound, host: String, request: String) {
        self.init(.boundExceeded, bound.sentence(host: host, request: request))
        self.bound = bound
    }

    /// The registry's error codes.
    public var codes: [String] { details.map(\.code) }

    /// A failure that may pass: the connection, the server, or a rate limit.
    public var isTransient: Bool { kind == .transport || kind == .server || kind == .tooManyRequests }

    public var description: String {
        var text = message
        if !details.isEmpty {
            text += ": " + details.map { d in d.message.map { "\(d.code) (\($0))" } ?? d.code }.joined(separator: "; ")
        }
        if let status { text += " [HTTP \(status)]" }
        return text
    }

    /// The error for a non-success response, from its status and `{"errors":[...]}` body;
    /// the registry's words are redacted here, where they enter (a registry may echo the
    /// token or Basic value it was sent).
    static func from(status: Int, body: Data, request: String) -> RegistryError {
        struct Body: Decodable { var errors: [Detail]? }
        let details = ((try? JSONDecoder().decode(Body.self, from: body))?.errors ?? []).map {
            Detail(code: SecretRedaction.redact($0.code), message: $0.message.map(SecretRedaction.redact))
        }
        let codes = Set(details.map(\.code))
        let kind: Kind
        switch status {
        case 401: kind = .unauthorized
        case 403: kind = .denied
        case 404: kind = .notFound
        case 429: kind = .tooManyRequests
        case 500...: kind = .server
        default:
            if codes.contains("DENIED") { kind = .denied }
            else if codes.contains("UNAUTHORIZED") { kind = .unauthorized }
            else if codes.contains(where: { $0.hasSuffix("_UNKNOWN") }) { kind = .notFound }
            else { kind = .rejected }
        }
        return RegistryError(kind, "\(request) failed", status: status, details: details)
    }
}
