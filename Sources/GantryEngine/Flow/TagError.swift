/// A `gantry tag` that cannot go ahead; nothing was tagged when one is thrown.
public struct TagError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// SOURCE is not `host/repository@digest`.
        case source
        /// No tag, or one that is not a valid tag.
        case tags
        /// A `--to` host is not a registry host.
        case targets
        /// An `--expect` is malformed or names no tag being moved.
        case expectation
        /// A tag does not point where `--expect` says (it moved since it was looked at).
        case moved
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var code: String { "tag.\(reason.rawValue)" }
    public var description: String { message }
}
