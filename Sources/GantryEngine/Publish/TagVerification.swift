/// A tag read back after publishing: where it points and whether that is right.
public struct TagVerification: Codable, Sendable, Equatable {
    public var registry: String
    public var tag: String
    /// The digest the tag resolves to now (nil: the tag is missing).
    public var digest: String?
    public var platforms: [Platform]
    /// Empty when the tag is right; otherwise what is wrong.
    public var problems: [String]

    public init(registry: String, tag: String, digest: String?, platforms: [Platform], problems: [String]) {
        self.registry = registry
        self.tag = tag
        self.digest = digest
        self.platforms = platforms
        self.problems = problems
    }

    public var ok: Bool { problems.isEmpty }
}
