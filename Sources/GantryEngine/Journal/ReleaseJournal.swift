import Foundation

/// The durable record of one release (or build, publish, or rollback): the settings it
/// runs with, each platform's state and digests, what every tag pointed to before, what
/// was published where, and the verification. Written at every state change, and before
/// any of it is reported anywhere.
public struct ReleaseJournal: Codable, Sendable, Equatable {
    /// Marks a file as Gantry's; anything else is refused, never overwritten.
    public static let currentFormat = "gantry.release-journal/v1"

    public var format: String
    public var id: ReleaseID
    public var kind: Kind
    public var createdAt: Date
    public var updatedAt: Date
    /// The config the release came from, when there was one.
    public var configPath: String?
    /// Every setting the release runs with (absent in journals of Gantry before 0.2).
    public var settings: ReleaseSettings?
    public var image: String
    public var version: SemanticVersion?
    public var registries: [RegistryTarget]
    public var tags: [String]
    /// The platforms the index must hold.
    public var expectedPlatforms: [Platform]
    /// For a rollback: the release it undoes.
    public var rollbackOf: ReleaseID?
    /// For a promotion: the verified release it copies and publishes.
    public var promotion: Promotion?
    /// For a tag journal: the `gantry tag` it carries out.
    public var tagging: TagRequest?
    /// For a member of a family release: the family and the member (Family/).
    public var family: FamilyLink?
    public var phase: Phase
    public var platforms: [PlatformRecord]
    /// What each registry's tags pointed to before publishing.
    public var before: [TagSnapshot]
    /// The pending tag set the user confirmed.
    public var confirmed: PendingTagSet?
    /// The index the user confirmed (journaled with the confirmation; with imagetools, once a
    /// registry verified what it wrote), or the one this publication must push again
    /// (`gantry publish ID` of a release that confirmed one).
    public var index: JournaledIndex?
    public var publications: [RegistryPublication]
    /// How the run ended without an answer to its pending tag set, when it did (absent in
    /// journals of Gantry before it was recorded): what `JournalStanding` reads.
    public var unconfirmed: Unconfirmed?
    /// A short history of state changes, newest last.
    public var history: [Entry]

    /// What the journal records.
    public enum Kind: String, Codable, Sendable {
        case release, build, publish, rollback
        /// A release verified in one registry, copied by digest to others and published there.
        case promote
        /// Tags pointed at an existing index by digest (`gantry tag`), copied first where it is missing.
        case tag

        /// Whether a journal of this kind has nothing more to do at `phase`: verified or
        /// cancelled (a build is done once built).
        public func isFinished(at phase: Phase) -> Bool { phase.isFinished || (self == .build && phase == .built) }
    }

    /// Where the release stands.
    public enum Phase: String, Codable, Sendable, CaseIterable {
        /// `copying`: a promotion copies its release to the target registries; `abandoned`: the
        /// user dismissed an unfinished release (nothing was deleted).
        case building, copying, built, publishing, verified, failed, cancelled, abandoned
        /// Nothing more to do.
        public var isFinished: Bool { self == .verified || self == .cancelled || self == .abandoned }
    }

    /// A run that ended at its confirmation without publishing.
    public enum Unconfirmed: String, Codable, Sendable {
        /// The user said no: nothing was published.
        case declined
        /// The run ended with the question open (quit): still resumable by its id.
        case left
    }

    /// One platform's build state and result.
    public struct PlatformRecord: Codable, Sendable, Equatable {
        public var platform: Platform
        public var state: State
        public var result: BuildResult?
        public var error: RecordedError?

        public enum State: String, Codable, Sendable {
            /// `reused`: built by an earlier run of this release and still in every registry.
            case pending, building, built, reused, failed, cancelled

            /// The platform has a digest to publish.
            public var hasDigest: Bool { self == .built || self == .reused }
        }

        public init(platform: Platform, state: State = .pending, result: BuildResult? = nil, error: RecordedError? = nil) {
            self.platform = platform
            self.state = state
            self.result = result
            self.error = error
        }
    }

    /// What one tag of one registry pointed to before (nil: it did not exist).
    public struct TagSnapshot: Codable, Sendable, Equatable {
        public var registry: String
        public var tag: String
        public var digest: String?
        public init(registry: String, tag: String, digest: String?) {
            self.registry = registry
            self.tag = tag
            self.digest = digest
        }
    }

    /// What was published to one registry and how it verified.
    public struct RegistryPublication: Codable, Sendable, Equatable {
        public var registry: String
        public var state: State
        public var indexDigest: String?
        /// The index pushed by digest before any tag of the family moved (`FamilyIndexStaging`):
        /// publishing does not push it again.
        public var stagedIndex: String?
        public var verification: [TagVerification]
        public var error: RecordedError?
        /// The release record pushed with it; nil when none was asked for (or a Gantry without records).
        public var record: RecordReceipt?

        public enum State: String, Codable, Sendable {
            case pending, publishing, published, verified, failed, skipped
        }

        /// Records a read-back: verified when every tag is right, failed with the wrong ones otherwise.
        public mutating func record(verification: [TagVerification]) {
            self.verification = verification
            let wrong = verification.filter { !$0.ok }
            state = wrong.isEmpty ? .verified : .failed
            error = wrong.isEmpty ? nil : RecordedError(
                kind: "publish.verification",
                message: wrong.map { "\($0.tag): \($0.problems.joined(separator: "; "))" }.joined(separator: "\n"))
        }

        public init(registry: String, state: State = .pending, indexDigest: String? = nil, verification: [TagVerification] = [], error: RecordedError? = nil) {
            self.registry = registry
            self.state = state
            self.indexDigest = indexDigest
            self.verification = verification
            self.error = error
        }
    }

    /// One history line.
    public struct Entry: Codable, Sendable, Equatable {
        public var at: Date
        public var message: String
    }

    public init(
        id: ReleaseID, kind: Kind, image: String, version: SemanticVersion?, registries: [RegistryTarget],
        tags: [String], expectedPlatforms: [Platform], configPath: String? = nil, settings: ReleaseSettings? = nil, now: Date = Date()
    ) {
        format = Self.currentFormat
        self.id = id
        self.kind = kind
        createdAt = now
        updatedAt = now
        self.configPath = configPath
        self.settings = settings
        self.image = image
        self.version = version
        self.registries = registries
        self.tags = tags
        self.expectedPlatforms = expectedPlatforms
        phase = .building
        platforms = expectedPlatforms.map { PlatformRecord(platform: $0) }
        before = []
        publications = registries.map { RegistryPublication(registry: $0.host) }
        history = []
    }

    /// Nothing more to do: verified or cancelled (a build is done once built).
    public var isFinished: Bool { kind.isFinished(at: phase) }

    /// The index every publication of this release must push, when one is fixed: the
    /// journaled one, a promotion's, or the one a registry verified (its bytes unread).
    public var indexToPublish: JournaledIndex? {
        if let index { return index }
        if let promotion { return JournaledIndex(digest: promotion.indexDigest) }
        return publications.first { $0.state == .verified }?.indexDigest.map { JournaledIndex(digest: $0) }
    }

    /// The built digests, by platform.
    public var results: [BuildResult] { platforms.compactMap(\.result) }

    /// What publishing composes the index from: each platform with a digest, as it was pushed.
    public var publishingSources: [PlatformSource] {
        platforms.filter(\.state.hasDigest).compactMap(\.result).map { PlatformSource(platform: $0.platform, digest: $0.publishedDigest) }
    }

    /// The expected platforms whose build ended without a digest (failed, cancelled, or not
    /// among a publish's sources): what the index leaves out unless they are built again.
    public var platformsLeftOut: [Platform] {
        expectedPlatforms.filter { platform in
            guard let state = self[platform: platform]?.state else { return true }
            return state == .failed || state == .cancelled
        }
    }

    /// The record of `platform`.
    public subscript(platform platform: Platform) -> PlatformRecord? {
        get { platforms.first { $0.platform == platform } }
        set {
            guard let newValue else { return }
            if let i = platforms.firstIndex(where: { $0.platform == platform }) { platforms[i] = newValue } else { platforms.append(newValue) }
        }
    }

    /// The publication record of `registry`.
    public subscript(registry registry: String) -> RegistryPublication? {
        get { publications.first { $0.registry == registry } }
        set {
            guard let newValue else { return }
            if let i = publications.firstIndex(where: { $0.registry == registry }) { publications[i] = newValue } else { publications.append(newValue) }
        }
    }

    /// The repository of `registry` for this release's image.
    public func repository(_ registry: String) -> ImageReference {
        (registries.first { $0.host == registry } ?? RegistryTarget(host: registry)).repository(for: image)
    }

    /// Adds a history line.
    public mutating func note(_ message: String, at: Date = Date()) {
        // Notes quote registries and tools: no secret they echo reaches the file.
        history.append(Entry(at: at, message: SecretRedaction.redact(message)))
    }
}
