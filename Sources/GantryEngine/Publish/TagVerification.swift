/// A tag read back after publishing: where it points and whether that is right.
public struct TagVerification: Codable, Sendable, Equatable {
    public var registry: String
    public var tag: String
    /// The digest the tag resolves to now (nil: the tag is missing).
    public var digest: String?
    public var platforms: [Platform]
    /// Empty when the tag is right; otherwise what is wrong.
    public var problems: [String]
    /// The tag points elsewhere than the index this run wrote to it: another publisher
    /// moved it after Gantry wrote it (nil: it is where Gantry put it, or missing).
    public var movedAway: MovedAway?

    public init(registry: String, tag: String, digest: String?, platforms: [Platform], problems: [String], movedAway: MovedAway? = nil) {
        self.registry = registry
        self.tag = tag
        self.digest = digest
        self.platforms = platforms
        self.problems = problems
        self.movedAway = movedAway
    }

    public var ok: Bool { problems.isEmpty }

    /// Where a tag moved after Gantry wrote it.
    public struct MovedAway: Codable, Sendable, Equatable {
        /// The version of the index it points to now (its `org.opencontainers.image.version`), when it says.
        public var version: SemanticVersion?
        /// It now points to a lower version than the one this run published: another run's
        /// write, checked before Gantry's landed after it (tag writes have no compare-and-swap).
        public var isDowngrade: Bool

        public init(version: SemanticVersion?, isDowngrade: Bool) {
            self.version = version
            self.isDowngrade = isDowngrade
        }
    }
}
