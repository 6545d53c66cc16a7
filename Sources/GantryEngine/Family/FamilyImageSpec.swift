/// One entry of a config's `images:` list, as written: an image of the family (`image:`)
/// or a variant of one (`variant: slim`), and what it overrides of the top level. Whatever
/// it leaves out it inherits (`ImageFamily` makes each entry a whole config).
public struct FamilyImageSpec: Sendable, Equatable {
    /// The repository path; nil: the top-level image.
    public var image: String?
    /// The variant (`slim`); nil or `default`: the image's bare tags.
    public var variant: String?
    /// A named variant that also gets the bare tags (python's `bookworm`: `3.14.1-bookworm` and `3.14.1`).
    public var isDefault: Bool
    /// The variant's tag affixes; a variant without them gets the suffix `-<variant>`, as
    /// docker/metadata-action's `flavor: suffix=-slim` does.
    public var prefix: String?
    public var suffix: String?
    /// The affixes apply to `latest` too (`latest-slim`); otherwise `latest` becomes the
    /// variant's name (`slim`), as docker-library tags variants.
    public var onLatest: Bool
    public var build: BuildOverride
    public var platforms: [PlatformTarget]?
    public var tags: [TagRule]?

    /// `variant: default` names the bare line, as no variant does.
    public static let bareVariant = "default"

    public init(
        image: String? = nil, variant: String? = nil, isDefault: Bool = false, prefix: String? = nil, suffix: String? = nil,
        onLatest: Bool = false, build: BuildOverride = BuildOverride(), platforms: [PlatformTarget]? = nil, tags: [TagRule]? = nil
    ) {
        self.image = image
        self.variant = variant
        self.isDefault = isDefault
        self.prefix = prefix
        self.suffix = suffix
        self.onLatest = onLatest
        self.build = build
        self.platforms = platforms
        self.tags = tags
    }

    /// The variant's name, nil for the bare line.
    public var namedVariant: String? { variant == Self.bareVariant ? nil : variant }

    /// The flavor of this entry's tags: the top level's, with a variant's affixes inside it
    /// (`flavor: {prefix: v}` and `slim`: `v1.2.3-slim`).
    public func flavor(inheriting top: TagFlavor) -> TagFlavor {
        guard let variant = namedVariant else { return top }
        let suffix = suffix ?? (prefix == nil ? "-\(variant)" : "")
        return TagFlavor(
            prefix: top.prefix + (prefix ?? ""), suffix: suffix + top.suffix, onLatest: onLatest, latestAlias: variant, alsoBare: isDefault)
    }
}
