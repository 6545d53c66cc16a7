import Foundation

/// A validated release configuration (`gantry.yaml`): what to build, for which
/// platforms, where to publish it and how to tag it.
public struct ReleaseConfig: Sendable, Equatable {
    /// Where the config came from, for messages.
    public var source: String
    /// Repository path published to every registry (`acme/app`).
    public var image: String
    public var registries: [RegistryTarget]
    public var platforms: [PlatformTarget]
    public var build: BuildSpec
    public var tags: [TagRule]
    public var flavor: TagFlavor
    public var builder: BuilderChoice
    public var publisher: PublisherChoice
    public var attestations: AttestationPolicy
    /// How many platforms build at once.
    public var parallel: Int
    /// Annotations of the published index, besides the ones Gantry adds (`IndexAnnotations`).
    public var annotations: [String: String]
    /// What an audit of the release's tags requires beyond whole platforms.
    public var requirements: ReleaseRequirements
    /// The key every publication is signed with (`sign:`); nil: unsigned.
    public var signing: SigningSpec?
    /// The family's images and variants (`images:`, Family/): empty for a config of one image.
    public var images: [FamilyImageSpec]
    /// `build.bake: {file, group}`: one image per target of the group (`ImageFamily.resolvingBakeGroup`).
    public var bakeGroup: BakeGroupSpec?

    public init(
        source: String, image: String, registries: [RegistryTarget], platforms: [PlatformTarget],
        build: BuildSpec, tags: [TagRule], flavor: TagFlavor = TagFlavor(), builder: BuilderChoice = .auto,
        publisher: PublisherChoice = .auto, attestations: AttestationPolicy = .keep, parallel: Int = 4,
        annotations: [String: String] = [:], requirements: ReleaseRequirements = ReleaseRequirements(),
        images: [FamilyImageSpec] = [], bakeGroup: BakeGroupSpec? = nil
    ) {
        self.images = images
        self.bakeGroup = bakeGroup
        self.source = source
        self.image = image
        self.registries = registries
        self.platforms = platforms
        self.build = build
        self.tags = tags
        self.flavor = flavor
        self.builder = builder
        self.publisher = publisher
        self.attestations = attestations
        self.parallel = parallel
        self.annotations = annotations
        self.requirements = requirements
    }

    /// The config leaves the platforms to its Bake target (`docker buildx bake --print`).
    public var takesPlatformsFromBake: Bool { platforms.isEmpty && build.bake != nil }

    /// A build path (context, Dockerfile, Bake file) as seen from the working directory:
    /// relative paths in the config are relative to the config file's folder.
    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = (source as NSString).deletingLastPathComponent
        if folder.isEmpty || folder == "." { return path }
        let joined = (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    /// The image's repository in each registry, in config order.
    public var repositories: [ImageReference] {
        registries.map { $0.repository(for: image) }
    }

    /// The registry target for a host, if configured.
    public func registry(_ host: String) -> RegistryTarget? {
        registries.first { $0.host == RegistryHost.canonical(host) }
    }
}

extension Sequence<RegistryTarget> {
    /// The hosts a registry client may reach over plain HTTP.
    public var insecureHosts: Set<String> { Set(filter(\.insecure).map(\.host)) }
    /// The hosts a registry client reaches over HTTPS even on loopback.
    public var httpsHosts: Set<String> { Set(filter(\.requiresHTTPS).map(\.host)) }
}

/// One registry the image is published to.
public struct RegistryTarget: Sendable, Equatable, Hashable, Codable {
    /// Host as written (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), canonical spelling.
    public var host: String
    /// Plain HTTP allowed. Loopback hosts always are, unless `requiresHTTPS`.
    public var insecure: Bool
    /// A PEM file of the CA certificates that sign this registry's certificate, trusted for
    /// it alone (`ca:`, resolved against the config's folder).
    public var ca: String?
    /// The config said `insecure: false` for a loopback host: HTTPS there too.
    public var explicitlySecure: Bool?

    public init(host: String, insecure: Bool = false, ca: String? = nil, explicitlySecure: Bool? = nil) {
        self.host = RegistryHost.canonical(host)
        self.insecure = insecure
        self.ca = ca
        self.explicitlySecure = explicitlySecure
    }

    /// HTTPS even on loopback: a registry with a CA of its own, or one said not to be insecure.
    public var requiresHTTPS: Bool { ca != nil || explicitlySecure == true }

    /// Whether requests go over plain HTTP.
    public var usesPlainHTTP: Bool { !requiresHTTPS && (insecure || RegistryHost.isLoopback(host)) }

    /// The image's repository on this registry (`library/` added for one-word Hub names).
    public func repository(for image: String) -> ImageReference {
        let path = (host == "docker.io" && !image.contains("/")) ? "library/\(image)" : image
        return ImageReference(registry: host, repository: path)
    }
}

/// One platform of the release and, optionally, the buildx builder that builds it.
public struct PlatformTarget: Sendable, Equatable, Hashable, Codable {
    public var platform: Platform
    /// A named buildx builder (a native node, a remote BuildKit, a Kubernetes builder).
    public var builder: String?

    public init(platform: Platform, builder: String? = nil) {
        self.platform = platform
        self.builder = builder
    }
}

/// What to build: a Dockerfile build or a Bake target.
public struct BuildSpec: Sendable, Equatable, Codable {
    public var context: String
    public var dockerfile: String?
    public var target: String?
    public var args: [String: String]
    public var labels: [String: String]
    public var bake: BakeSpec?

    public init(
        context: String = ".", dockerfile: String? = nil, target: String? = nil,
        args: [String: String] = [:], labels: [String: String] = [:], bake: BakeSpec? = nil
    ) {
        self.context = context
        self.dockerfile = dockerfile
        self.target = target
        self.args = args
        self.labels = labels
        self.bake = bake
    }
}

/// A Bake file and the target in it that builds the image.
public struct BakeSpec: Sendable, Equatable, Codable {
    public var file: String
    public var target: String
    public init(file: String, target: String) {
        self.file = file
        self.target = target
    }
}

/// What the release's published tags must satisfy (`require:`).
public struct ReleaseRequirements: Sendable, Equatable, Codable {
    /// Every published index carries a cosign signature (`unsigned` / `bad-signature` findings).
    public var signed: Bool
    /// Every publication pushes its release record before its tags move, or fails there.
    public var record: Bool
    public init(signed: Bool = false, record: Bool = false) {
        self.signed = signed
        self.record = record
    }
}

/// Prefix and suffix added to generated tags (docker/metadata-action's `flavor`).
public struct TagFlavor: Sendable, Equatable, Codable {
    public var prefix: String
    public var suffix: String
    /// Whether prefix and suffix also apply to `latest` (metadata-action's `onlatest`).
    public var onLatest: Bool
    /// What `latest` becomes when the prefix and suffix are not applied to it: a variant's
    /// own name (`slim`, as docker-library tags variants); nil keeps `latest`.
    public var latestAlias: String?
    /// The bare tags too (a family's `default: true` variant: `1.2.3-bookworm` and `1.2.3`).
    public var alsoBare: Bool
    public init(prefix: String = "", suffix: String = "", onLatest: Bool = false, latestAlias: String? = nil, alsoBare: Bool = false) {
        self.alsoBare = alsoBare
        self.prefix = prefix
        self.suffix = suffix
        self.onLatest = onLatest
        self.latestAlias = latestAlias
    }

    /// The tag `rule` expanded to `tag` becomes.
    func apply(to tag: String, of rule: TagRule) -> String {
        guard rule.isLatest, !onLatest else { return prefix + tag + suffix }
        return latestAlias ?? tag
    }
}

/// Which tool builds the platforms.
public enum BuilderChoice: String, Sendable, Equatable, Codable, CaseIterable {
    case auto, buildx, buildah
}

/// Which tool assembles and pushes the index.
public enum PublisherChoice: String, Sendable, Equatable, Codable, CaseIterable {
    case auto, imagetools, native

    /// The publisher this choice is with `builder`: `auto` is imagetools beside buildx (the
    /// same docker) and native beside buildah (no docker needed).
    public func resolved(with builder: BuilderChoice) -> PublisherChoice {
        guard self == .auto else { return self }
        return builder == .buildah ? .native : .imagetools
    }
}

/// Whether provenance/SBOM attestation manifests are built and kept in the index.
public enum AttestationPolicy: String, Sendable, Equatable, Codable, CaseIterable {
    case keep, none
}
