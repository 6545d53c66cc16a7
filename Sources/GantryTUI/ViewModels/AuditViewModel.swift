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
    /// Something the audit found.
    public struct Finding: Hashable, Sendable {
        public enum Severity: String, Hashable, Sendable { case info, warning, error }

        public var severity: Severity
        public var message: String

        public init(severity: Severity, message: String) {
            self.severity = severity
            self.message = Sanitizer.clean(message)
        }
    }
}

/// What the audit screen shows.
public struct AuditViewModel: Hashable, Sendable {
    public var reference: String
    public var indexDigest: String?
    public var platforms: [AuditViewModel.PlatformEntry]
    public var findings: [AuditViewModel.Finding]
    /// Other tags that resolve to the same digest.
    public var sharedTags: [String]
    /// Tags of the configured repository to pick from.
    public var candidateTags: [String]
    /// Set while the audit runs.
    public var isLoading: Bool

    public init(reference: String, indexDigest: String?, platforms: [AuditViewModel.PlatformEntry], findings: [AuditViewModel.Finding],
                sharedTags: [String], candidateTags: [String], isLoading: Bool = false) {
        self.reference = Sanitizer.clean(reference)
        self.indexDigest = indexDigest
        self.platforms = platforms
        self.findings = findings
        self.sharedTags = sharedTags.map(Sanitizer.clean)
        self.candidateTags = candidateTags.map(Sanitizer.clean)
        self.isLoading = isLoading
    }

    public static let empty = AuditViewModel(reference: "", indexDigest: nil, platforms: [], findings: [], sharedTags: [], candidateTags: [])
}
