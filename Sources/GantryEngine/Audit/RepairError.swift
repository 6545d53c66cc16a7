/// Why a repair the advisor proposed cannot be opened as a flow here; nothing was published.
public struct RepairError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// The repair publishes or promotes, and no release config was given.
        case needsConfig
        /// The release version could not be read from the tags, labels or journal.
        case unknownVersion
        /// The repair acts on one image, and the config given is a family's.
        case familyConfig
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var code: String { "repair.\(reason.rawValue)" }
    public var description: String { message }
}
