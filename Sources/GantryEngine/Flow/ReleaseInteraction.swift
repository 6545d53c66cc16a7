/// How a front end answers the flow: the console asks in dialogs, the plain mode on the
/// terminal or from `--yes`. It only answers; the flow decides what may happen.
public protocol ReleaseInteraction: Sendable {
    /// Publishing cannot go ahead (`refusal` says why). The user may retry some of
    /// `retryable` (failed or cancelled platforms), or stop.
    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer
    /// The pending tag set is ready: confirm it, decline it, or leave it for later.
    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer
}

/// What the user is asked to confirm, and how.
public struct ConfirmationRequest: Sendable, Equatable {
    public var pending: PendingTagSet
    public var requirement: ConfirmationRequirement
    public var version: SemanticVersion?
    public var purpose: ConfirmationPurpose
    /// The index the set publishes, when its bytes are fixed before publishing (the native
    /// publisher's): a family pushes it by digest before any tag moves.
    public var index: JournaledIndex?

    public init(
        pending: PendingTagSet, requirement: ConfirmationRequirement, version: SemanticVersion?, purpose: ConfirmationPurpose = .publish,
        index: JournaledIndex? = nil
    ) {
        self.index = index
        self.pending = pending
        self.requirement = requirement
        self.version = version
        self.purpose = purpose
    }
}

/// What confirming does.
public enum ConfirmationPurpose: String, Sendable, Equatable {
    /// Point the tags at the new index.
    case publish
    /// Point the tags back at their previous digests.
    case rollback
    /// Point the tags at an index that exists already (`gantry tag`).
    case tag
}

/// How a confirmation must be given.
public enum ConfirmationRequirement: Sendable, Equatable {
    /// A yes is enough: no existing tag moves.
    case yes
    /// Existing tags move: the version must be typed (or `--yes` given).
    case typedVersion(String)
}

/// The answer to a pending tag set.
public enum ConfirmationAnswer: Sendable, Equatable {
    case confirmed(Confirmation)
    /// Declined: the release ends cancelled, nothing published.
    case declined
    /// Left undecided (quit): the release stays resumable.
    case left
}

/// The answer when publishing cannot go ahead.
public enum BlockedAnswer: Sendable, Equatable {
    case stop
    case retry([Platform])
    /// Publish without these platforms (what `--allow-partial` says up front).
    case publishWithout([Platform])
}

/// The user's go-ahead: carries the exact pending tag set they saw.
public struct Confirmation: Sendable, Equatable {
    public let pendingTagSet: PendingTagSet
    /// What the user typed when the version was asked for.
    public let typedVersion: String?
    /// Given by `--yes` (or a test): no question was asked.
    public let assumed: Bool

    /// Only a UI that showed `pendingTagSet` creates this.
    public init(confirming pendingTagSet: PendingTagSet, typedVersion: String? = nil) {
        self.pendingTagSet = pendingTagSet
        self.typedVersion = typedVersion
        self.assumed = false
    }

    private init(assuming pendingTagSet: PendingTagSet) {
        self.pendingTagSet = pendingTagSet
        self.typedVersion = nil
        self.assumed = true
    }

    /// `--yes`: the user agreed in advance to whatever the set shows.
    public static func assumed(_ pendingTagSet: PendingTagSet) -> Confirmation { Confirmation(assuming: pendingTagSet) }
}
