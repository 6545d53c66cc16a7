/// What a tag should point to: the platforms a release publishes, and whether it must be an index.
public struct AuditExpectation: Sendable, Hashable {
    /// Expected platforms; empty means "no expectation" (no missing/extra findings).
    public var platforms: [Platform]
    /// Whether a single-platform manifest is a finding (`not-an-index`).
    public var requiresIndex: Bool

    public init(platforms: [Platform] = [], requiresIndex: Bool? = nil) {
        self.platforms = platforms
        self.requiresIndex = requiresIndex ?? !platforms.isEmpty
    }

    /// No expectations: report what is there, flag only duplicates, drift and missing tags.
    public static let none = AuditExpectation()
}
