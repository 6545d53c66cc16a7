/// What a tag should point to: the platforms a release publishes, and whether it must be an index.
public struct AuditExpectation: Sendable, Hashable {
    /// Expected platforms; empty means "no expectation" (no missing/extra findings).
    public var platforms: [Platform]
    /// Whether a single-platform manifest is a finding (`not-an-index`).
    public var requiresIndex: Bool
    /// Whether `platforms` is the whole set (a config's): other platforms are then reported
    /// as extra. A partial list (`--expect-platform` alone) reports only what is missing.
    public var isComplete: Bool
    /// With no platforms given: a single manifest is compared with the repository's release
    /// tags (semver tags sharing an index); when those are multi-platform, it is
    /// `not-an-index` and lacks their platforms.
    public var comparesReleaseTags: Bool
    /// Whether the tag's digest must carry a good cosign signature (`unsigned`, `bad-signature`).
    public var requiresSignature: Bool

    public init(
        platforms: [Platform] = [], requiresIndex: Bool? = nil, isComplete: Bool = true, comparesReleaseTags: Bool = false,
        requiresSignature: Bool = false
    ) {
        self.platforms = platforms
        self.requiresIndex = requiresIndex ?? !platforms.isEmpty
        self.isComplete = isComplete
        self.comparesReleaseTags = comparesReleaseTags
        self.requiresSignature = requiresSignature
    }

    /// No expectations: report what is there, flag only duplicates, drift and missing tags.
    public static let none = AuditExpectation()
}

/// One reference to audit and what it should point to.
public struct AuditTarget: Sendable, Hashable {
    public var reference: ImageReference
    public var expectation: AuditExpectation

    public init(_ reference: ImageReference, _ expectation: AuditExpectation) {
        self.reference = reference
        self.expectation = expectation
    }
}
