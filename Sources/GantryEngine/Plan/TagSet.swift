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
        self.init(version: version, tags: Self.tags(rules: rules, flavor: flavor, values: TagValues(version)))
    }

    /// The tags `rules` give for `values`, in rule order, each once, with the flavor applied.
    public static func tags(rules: [TagRule], flavor: TagFlavor = TagFlavor(), values: TagValues) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for rule in rules {
            guard var tag = rule.expand(values) else { continue }
            if !rule.isLatest || flavor.onLatest { tag = flavor.prefix + tag + flavor.suffix }
            if seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags
    }
}
