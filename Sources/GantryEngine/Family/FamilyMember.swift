/// One image of a family as it is released: a whole config of its own (everything the
/// entry did not override inherited from the top level), named `acme/app` or, for a
/// variant, `acme/app:slim`, the way docker-library names a variant by its tag.
public struct FamilyMember: Sendable, Equatable {
    /// `acme/app`, `acme/app:slim`: what `--only`, `--allow-partial IMAGE:PLATFORM` and the
    /// output call it.
    public var name: String
    public var image: String
    /// nil: the image's bare tags.
    public var variant: String?
    /// The member's release config (no `images:` of its own).
    public var config: ReleaseConfig

    public init(image: String, variant: String?, config: ReleaseConfig) {
        self.name = Self.name(image: image, variant: variant)
        self.image = image
        self.variant = variant
        self.config = config
    }

    public static func name(image: String, variant: String?) -> String {
        variant.map { "\(image):\($0)" } ?? image
    }
}
