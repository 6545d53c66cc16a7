/// What a tag should point to: the platforms a release publishes, and whether it must be an index.
public struct AuditExpectation: Sendable, Hashable {
    /// Expected platforms; empty means "no expectation" (no missing/extra findings).
    public var platforms: [Platform]
    /// Whether a single-platform manifest is a finding (`not-an-index`).
    public var requiresIndex: Bool
    /// Whether the tag's digest must carry a good cosign signature (`unsigned`, `bad-signature`).
    public var requiresSignature: Bool

    public init(platforms: [Platform] = [], requiresIndex: Bool? = nil, requiresSignature: Bool = false) {
        self.platforms = platforms
        self.requiresIndex = requiresIndex ?? !platforms.isEmpty
        self.requiresSignature = requiresSignature
    }

    /// No expectations: report what is there, flag only duplicates, drift and missing tags.
    public static let none = AuditExpectation()
}
