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
        // A family's default variant gets its own tags, then the bare ones.
        for flavor in flavor.alsoBare ? [flavor, TagFlavor()] : [flavor] {
            for rule in rules {
                guard let expanded = rule.expand(values) else { continue }
                let tag = flavor.apply(to: expanded, of: rule)
                if seen.insert(tag).inserted { tags.append(tag) }
            }
        }
        return tags
    }

    /// The tags `config` gives `version`, refusing a version that would make any of them
    /// invalid (too long, say) before anything is built.
    public static func checked(_ config: ReleaseConfig, version: SemanticVersion) throws(VersionError) -> TagSet {
        let set = TagSet(rules: config.tags, flavor: config.flavor, version: version)
        if let bad = set.tags.first(where: { !TagName.isValid($0) }) {
            throw VersionError(
                input: version.description,
                reason: "it gives the tag \"\(bad.prefix(40))…\" (\(bad.utf8.count) characters), which is not valid: \(TagName.grammar)")
        }
        return set
    }

    /// The tag naming exactly `version`: the first rule built on `{{version}}`, with the
    /// flavor; `version` itself when no rule is.
    public static func versionTag(rules: [TagRule], flavor: TagFlavor = TagFlavor(), version: SemanticVersion) -> String {
        let rule = rules.first { $0.placeholderNames.contains("version") } ?? TagRule("{{version}}")
        return TagSet(rules: [rule], flavor: flavor, version: version).tags.first ?? TagRule.tagSafe(version)
    }
}
