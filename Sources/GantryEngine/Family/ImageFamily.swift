import Foundation

/// The images a config releases together: each entry of `images:` made a whole config,
/// or the config itself when it has no `images:` (a family of one, released exactly as
/// before). Members keep config order, which is the order tags move in.
public struct ImageFamily: Sendable, Equatable {
    /// The config as written (its `images:` included).
    public var config: ReleaseConfig
    public var members: [FamilyMember]

    public init(_ config: ReleaseConfig) {
        self.config = config
        guard !config.images.isEmpty else {
            members = [FamilyMember(image: config.image, variant: nil, config: config)]
            return
        }
        members = config.images.map { spec in
            var member = config
            member.image = spec.image ?? config.image
            member.build = config.build.applying(spec.build)
            member.platforms = spec.platforms ?? config.platforms
            member.tags = spec.tags ?? config.tags
            member.flavor = spec.flavor(inheriting: config.flavor)
            member.images = []
            member.bakeGroup = nil
            return FamilyMember(image: member.image, variant: spec.namedVariant, config: member)
        }
    }

    /// More than one image or variant: released by `FamilyRelease`, not one `ReleaseFlow`.
    public var isFamily: Bool { !config.images.isEmpty }

    /// The member whose versions stand for the family's (Home's next version): the top-level
    /// image's bare line, else its first line, else the first member.
    public var primary: FamilyMember {
        members.first { $0.image == config.image && $0.variant == nil } ?? members.first { $0.image == config.image } ?? members[0]
    }

    /// The member called `name` (`acme/app`, `acme/app:slim`).
    public func member(_ name: String) -> FamilyMember? { members.first { $0.name == name } }

    /// The family reduced to `names` (`--only`), in config order; an unknown name is an
    /// error that lists the members.
    public func only(_ names: [String]) throws(FamilyError) -> ImageFamily {
        guard !names.isEmpty else { return self }
        for name in names where member(name) == nil {
            throw FamilyError(.unknownMember, "\(name) is not an image of \(config.source)\(Suggestion.didYouMean(name, among: members.map(\.name))); its images: \(members.map(\.name).joined(separator: ", "))")
        }
        var family = self
        family.members = members.filter { names.contains($0.name) }
        return family
    }

    /// How `member`'s version tags are told from its siblings' (`1.5.0-slim` is the slim
    /// line's 1.5.0, not a prerelease of the bare line).
    public func versionLine(of member: FamilyMember) -> VersionLine {
        let siblings = members.filter { $0.image == member.image && $0.name != member.name }
        return VersionLine(config: member.config, siblings: siblings.map(\.config))
    }
}

extension ImageFamily {
    /// What makes the family unreleasable as configured, and which member: two members of
    /// one name (a Bake group's targets tagged into one repository), two members that would
    /// write the same tag of one repository, or a member whose affixes make a tag invalid;
    /// checked for a release, a 0.x release and a prerelease. nil when there is none.
    public func problem() -> (member: Int, message: String)? {
        let samples = [
            SemanticVersion(major: 1, minor: 2, patch: 3), SemanticVersion(major: 0, minor: 2, patch: 3),
            SemanticVersion(major: 1, minor: 2, patch: 3, prerelease: ["rc", "1"]),
        ]
        var names: [String: Int] = [:]
        var owners: [String: String] = [:]
        for (i, member) in members.enumerated() {
            if let first = names[member.name] {
                return (i, "\(member.name) is listed twice (first as image \(first + 1) of the family): give one of them a variant")
            }
            names[member.name] = i
            for version in samples {
                for tag in TagSet(rules: member.config.tags, flavor: member.config.flavor, version: version).tags {
                    guard TagName.isValid(tag) else {
                        return (i, "\(member.name) gets the tag \"\(tag)\" (for \(version)), which is not valid: \(TagName.grammar)")
                    }
                    let key = "\(member.image):\(tag)"
                    if let owner = owners[key], owner != member.name {
                        return (i, "\(owner) and \(member.name) would both write \(key) (for \(version)); give one of them a variant or a suffix")
                    }
                    owners[key] = member.name
                }
            }
        }
        return nil
    }

    /// Throws `problem()`, for a family made from a Bake group (the config's reader reports it otherwise).
    public func checked() throws(FamilyError) -> ImageFamily {
        if let problem = problem() { throw FamilyError(.invalid, "\(config.source): \(problem.message)") }
        return self
    }
}

/// A family that cannot be released as asked.
public struct FamilyError: ClassifiedError, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case unknownMember, invalid, partialPlatform
        /// An image of the family has no CI digest files (`gantry publish --from-digests`).
        case missingDigests
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var code: String { "family.\(kind.rawValue)" }
    public var description: String { message }
}

extension ImageFamily {
    /// The member whose release of `version` publishes `tag` in `repository` (a path such as
    /// `acme/app`): variants share a repository, so the tag tells them apart.
    public func member(owning repository: String, tag: String, version: SemanticVersion) -> FamilyMember? {
        members.first { member in
            member.config.repositories.contains { $0.repository == repository }
                && TagSet(rules: member.config.tags, flavor: member.config.flavor, version: version).tags.contains(tag)
        }
    }
}

extension ReleaseConfig {
    /// The config releases a family (`images:` or a Bake group): only the family's flows act
    /// on it; a single-image command would act on its top-level image alone.
    public var releasesFamily: Bool { !images.isEmpty || bakeGroup != nil }
}
