/// The tags a release publishes, derived from the tag rules and the version,
/// in rule order, without duplicates.
public struct TagSet: Sendable, Equatable, Codable {
    public var version: SemanticVersion
    public var tags: [String]

    public init(version: SemanticVersion, tags: [String]) {
        self.version = version
        self.tags = tags
    }

    /// Expands `rules` for `version` and applies the flavor's prefix and suffix.
    public init(rules: [TagRule], flavor: TagFlavor = TagFlavor(), version: SemanticVersion) {
        var seen = Set<String>()
        var tags: [String] = []
        for rule in rules {
            guard var tag = rule.expand(for: version) else { continue }
            if !rule.isLatest || flavor.onLatest { tag = flavor.prefix + tag + flavor.suffix }
            if seen.insert(tag).inserted { tags.append(tag) }
        }
        self.init(version: version, tags: tags)
    }

    /// The tag naming exactly `version`: the first rule built on `{{version}}`, with the
    /// flavor; `version` itself when no rule is.
    public static func versionTag(rules: [TagRule], flavor: TagFlavor = TagFlavor(), version: SemanticVersion) -> String {
        let rule = rules.first { $0.placeholderNames.contains("version") } ?? TagRule("{{version}}")
        return TagSet(rules: [rule], flavor: flavor, version: version).tags.first ?? TagRule.tagSafe(version)
    }
}
