/// An engine error that says what kind of failure it is, for callers that branch on it
/// and for the journal (`{kind, message}`), in the manner of async-http-client's `HTTPClientError`.
public protocol ClassifiedError: Error, CustomStringConvertible {
    /// A stable dotted name: `registry.notFound`, `publish.tagMoved`, `flow.locked`.
    var code: String { get }
}

/// An error as the journal keeps it: its kind and its message, never a Swift dump.
public struct RecordedError: Codable, Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var message: String

    public init(kind: String, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Records `error`: its kind when it has one, `unexpected` otherwise; never a secret.
    public init(_ error: any Error) {
        if let classified = error as? any ClassifiedError {
            self.init(kind: classified.code, message: SecretRedaction.redact(classified.description))
        } else if error is CancellationError {
            self.init(kind: "cancelled", message: "cancelled")
        } else {
            self.init(kind: "unexpected", message: SecretRedaction.redact(String(describing: error)))
        }
    }

    public var description: String { message }

    /// Journals written before errors had kinds hold a plain string.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(kind: "unknown", message: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try container.decode(String.self, forKey: .kind), message: try container.decode(String.self, forKey: .message))
    }

    private enum CodingKeys: String, CodingKey { case kind, message }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
    }
}

extension RegistryError: ClassifiedError {
    public var code: String { "registry.\(kind.rawValue)" }
}
