/// A copy that could not be made as asked; nothing is tagged when one is thrown.
public struct CopyError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// The target names a digest other than the source's.
        case digestMismatch
        /// The target does not serve the digest once everything was written.
        case notServed
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var code: String { "copy.\(reason.rawValue)" }
    public var description: String { message }
}
