/// The version tags of one image or variant: `1.5.0` for the bare line, `1.5.0-slim` for
/// the slim variant. A repository holds every line's tags, so the newest version of a line
/// is read from its own tags only: after `1.5.0-slim` the bare line is still at its own
/// newest, not at a prerelease `1.5.0-slim` (whose next would be `1.5.0-slim.1`).
public struct VersionLine: Sendable, Equatable {
    /// What the line's version tag has around the version (`v` and `-slim` in `v1.5.0-slim`).
    public var affixes: Affixes
    /// The affixes of the other lines of the same repository.
    public var siblings: [Affixes]

    public struct Affixes: Sendable, Equatable {
        public var prefix: String
        public var suffix: String
        var length: Int { prefix.count + suffix.count }
    }

    public init(config: ReleaseConfig, siblings: [ReleaseConfig] = []) {
        let own = Self.affixes(of: config)
        affixes = own
        self.siblings = siblings.map(Self.affixes).filter { $0 != own }
    }

    /// The version `tag` names in this line; nil when it is not this line's version tag
    /// (another line's with longer affixes that fit it is that line's).
    public func version(of tag: String) -> SemanticVersion? {
        guard let version = Self.version(of: tag, in: affixes) else { return nil }
        let claimed = siblings.contains { $0.length > affixes.length && Self.version(of: tag, in: $0) != nil }
        return claimed ? nil : version
    }

    /// The newest of this line's versions among `tags`.
    public func newest(in tags: [String]) -> SemanticVersion? {
        tags.compactMap(version(of:)).max()
    }

    private static func version(of tag: String, in affixes: Affixes) -> SemanticVersion? {
        guard tag.count > affixes.length, tag.hasPrefix(affixes.prefix), tag.hasSuffix(affixes.suffix) else { return nil }
        let core = tag.dropFirst(affixes.prefix.count).dropLast(affixes.suffix.count)
        return try? SemanticVersion.parse(String(core))
    }

    /// The affixes of `config`'s version tag, found by expanding it for a marker version.
    private static func affixes(of config: ReleaseConfig) -> Affixes {
        let marker = SemanticVersion(major: 97_531, minor: 86_420, patch: 13_579)
        let tag = TagSet.versionTag(rules: config.tags, flavor: config.flavor, version: marker)
        guard let range = tag.range(of: marker.description) else { return Affixes(prefix: "", suffix: "") }
        return Affixes(prefix: String(tag[..<range.lowerBound]), suffix: String(tag[range.upperBound...]))
    }
}
