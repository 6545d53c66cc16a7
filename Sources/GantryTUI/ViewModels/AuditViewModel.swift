import GantryEngine

extension AuditViewModel {
    /// One platform of an audited image.
    public struct PlatformEntry: Hashable, Sendable {
        public var platform: String
        public var digest: String
        /// The attestation manifest's digest, nil when there is none.
        public var attestation: String?
        public var size: Int?

        public init(platform: String, digest: String, attestation: String?, size: Int? = nil) {
            self.platform = Sanitizer.clean(platform)
            self.digest = Sanitizer.clean(digest)
            self.attestation = attestation.map(Sanitizer.clean)
            self.size = size
        }
    }
}

extension AuditViewModel {
    /// What the tag points to in one registry: one row of the side-by-side table.
    public struct RegistryEntry: Hashable, Sendable {
        /// The repository, when the audit spans a family's images (`acme/worker`); nil otherwise.
        public var image: String?
        /// The tag, when the audit spans several (a family's release); nil otherwise.
        public var tag: String?
        public var registry: String
        /// nil when the tag is missing or the registry could not be asked.
        public var digest: String?
        public var platforms: [String]
        /// The version from the index annotations or the image labels.
        public var version: String?
        /// How many findings the audit made here.
        public var problems: Int
        /// `registry/repository:tag`, what Enter opens the history of.
        public var reference: String
        /// The tag's last release record: `1.1.0, released by … · signed (verified)`; nil without one.
        public var record: String?

        public init(
            registry: String, digest: String?, platforms: [String], version: String?, problems: Int, image: String? = nil, tag: String? = nil,
            reference: String = "", record: String? = nil
        ) {
            self.reference = Sanitizer.clean(reference)
            self.record = record.map(Sanitizer.clean)
            self.image = image.map(Sanitizer.clean)
            self.tag = tag.map(Sanitizer.clean)
            self.registry = Sanitizer.clean(registry)
            self.digest = digest.map(Sanitizer.clean)
            self.platforms = platforms.map(Sanitizer.clean)
            self.version = version.map(Sanitizer.clean)
            self.problems = problems
        }
    }
}

extension AuditViewModel {
    /// Something the audit found, with the repair the engine proposes for it (or why none).
    public struct Finding: Hashable, Sendable {
        public enum Severity: String, Hashable, Sendable { case info, warning, error }

        public var severity: Severity
        /// The finding's kind (`missing-platform`, `drift`...).
        public var kind: String
        public var message: String
        /// What Enter opens; nil when there is no repair.
        public var repair: RepairOperation?
        /// The repair's command and why it fits, or why there is none.
        public var advice: String

        public init(severity: Severity, kind: String, message: String, repair: RepairOperation? = nil, advice: String) {
            self.severity = severity
            self.kind = Sanitizer.clean(kind)
            self.message = Sanitizer.clean(message)
            self.repair = repair
            self.advice = Sanitizer.clean(advice)
        }
    }
}

/// What the audit screen shows.
public struct AuditViewModel: Hashable, Sendable {
    public var reference: String
    /// The tag in every registry audited, side by side.
    public var registries: [AuditViewModel.RegistryEntry]
    public var platforms: [AuditViewModel.PlatformEntry]
    public var findings: [AuditViewModel.Finding]
    /// Other tags that resolve to the same digest.
    public var sharedTags: [String]
    /// Tags of the configured repository to pick from.
    public var candidateTags: [String]
    /// Set while the audit runs.
    public var isLoading: Bool
    /// The history pane of one registry row, once Enter asked for it.
    public var history: TagHistoryViewModel?

    public init(reference: String, registries: [AuditViewModel.RegistryEntry] = [], platforms: [AuditViewModel.PlatformEntry],
                findings: [AuditViewModel.Finding], sharedTags: [String], candidateTags: [String], isLoading: Bool = false) {
        self.reference = Sanitizer.clean(reference)
        self.registries = registries
        self.platforms = platforms
        self.findings = findings
        self.sharedTags = sharedTags.map(Sanitizer.clean)
        self.candidateTags = candidateTags.map(Sanitizer.clean)
        self.isLoading = isLoading
    }

    public static let empty = AuditViewModel(reference: "", platforms: [], findings: [], sharedTags: [], candidateTags: [])
}
