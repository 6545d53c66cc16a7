import Foundation

/// A release config applied to one version: the platform matrix, the tag set per
/// registry and the exact commands Gantry will run. Computed offline.
public struct ReleasePlan: Sendable, Codable, Equatable {
    public var source: String
    public var image: String
    public var version: SemanticVersion
    public var prerelease: Bool
    /// The build tool: buildx or buildah (`auto` resolved by the caller).
    public var builder: BuilderChoice
    /// The publisher: imagetools or native.
    public var publisher: PublisherChoice
    public var attestations: AttestationPolicy
    public var parallel: Int
    public var releaseID: ReleaseID
    public var platforms: [PlannedPlatform]
    /// The platforms as a CI strategy matrix (`include: [{platform, slug, runner, builder}]`).
    public var matrix: BuildMatrix
    public var registries: [PlannedRegistry]
    /// The annotations the published index carries.
    public var annotations: [String: String]
    public var builds: [PlannedStep]
    public var publishes: [PlannedStep]

    /// One row of the platform matrix.
    public struct PlannedPlatform: Sendable, Codable, Equatable {
        public var platform: Platform
        /// The named buildx builder, nil for the default builder.
        public var builder: String?
        public var driver: BuilderChoice
    }

    /// One registry and the tags it receives.
    public struct PlannedRegistry: Sendable, Codable, Equatable {
        public var host: String
        /// `host/path`, as in references.
        public var repository: String
        public var plainHTTP: Bool
        public var tags: [String]
    }

    /// A command (argv, starting with the program) or an action Gantry performs itself.
    public struct PlannedStep: Sendable, Codable, Equatable {
        /// The platform built or the registry published, for the reader.
        public var subject: String
        /// The argv, or empty when Gantry does the step itself through its registry client.
        public var argv: [String]
        /// What the step does, one line.
        public var summary: String
        /// argv as a line to paste into a shell.
        public var shell: String { ShellQuote.join(argv) }
    }

    /// The plan for `config` at `version`. `builder`/`publisher` are the resolved drivers
    /// (`auto` becomes buildx/imagetools here; the release resolves it against the machine).
    public init(
        config: ReleaseConfig, version: SemanticVersion, state: StateDirectory,
        builder: BuilderChoice? = nil, publisher: PublisherChoice? = nil,
        revision: String? = nil, date: Date = Date()
    ) throws(VersionError) {
        let builder = builder ?? (config.builder == .auto ? .buildx : config.builder)
        let publisher = publisher ?? config.publisher.resolved(with: builder)
        let tagSet = try TagSet.checked(config, version: version)
        let releaseID = ReleaseID.make(image: config.image, version: version, date: date)
        let folder = state.release(releaseID)

        self.source = config.source
        self.image = config.image
        self.version = version
        self.prerelease = version.isPrerelease
        self.builder = builder
        self.publisher = publisher
        self.attestations = config.attestations
        self.parallel = config.parallel
        self.releaseID = releaseID
        self.platforms = config.platforms.map { PlannedPlatform(platform: $0.platform, builder: $0.builder, driver: builder) }
        self.matrix = BuildMatrix(platforms: config.platforms)
        let annotations = IndexAnnotations.release(config: config, version: version, revision: revision, at: date)
        self.annotations = annotations
        self.registries = config.registries.map {
            PlannedRegistry(host: $0.host, repository: $0.repository(for: config.image).name, plainHTTP: $0.usesPlainHTTP, tags: tagSet.tags)
        }
        let names = config.repositories.map(\.name).joined(separator: ", ")
        self.builds = config.platforms.flatMap { target -> [PlannedStep] in
            let subject = target.platform.description
            switch builder {
            case .buildah:
                let local = BuildahInvocation.localImage(config: config, release: releaseID, platform: target.platform)
                let layout = folder.ociLayout(for: target.platform)
                let buildah = BuildahInvocation.fromEnvironment().storage(in: state.buildahStorage(for: target.platform))
                return [
                    PlannedStep(subject: subject, argv: ["buildah"] + buildah.build(config: config, platform: target.platform, version: version, revision: revision, localImage: local), summary: "build \(subject) with buildah"),
                    PlannedStep(subject: subject, argv: ["buildah"] + buildah.export(localImage: local, layout: layout, digestFile: layout.appendingPathExtension("digest")), summary: "export \(subject) to an OCI layout"),
                    PlannedStep(subject: subject, argv: [], summary: "upload \(subject) by digest, with no tag, to \(names)"),
                ]
            case .auto, .buildx:
                let argv = ["docker"] + BuildxInvocation.build(
                    config: config, platform: target, version: version.description, revision: revision,
                    metadataFile: folder.metadataFile(for: target.platform).path
                )
                return [PlannedStep(subject: subject, argv: argv, summary: "build \(subject) and push it by digest, with no tag, to \(names)")]
            }
        }
        self.publishes = config.repositories.map { repository in
            let placeholders = config.platforms.map { "<digest:\($0.platform)>" }
            switch publisher {
            case .native:
                return PlannedStep(
                    subject: repository.registry, argv: [],
                    summary: "compose one OCI index of \(placeholders.count) platforms with \(annotations.count) annotations, push it by digest to \(repository.name), then point \(tagSet.tags.joined(separator: ", ")) at it"
                )
            case .auto, .imagetools:
                let argv = ["docker"] + BuildxInvocation.imagetoolsCreate(repository: repository, tags: tagSet.tags, digests: placeholders, annotations: IndexAnnotations.sorted(annotations))
                return PlannedStep(subject: repository.registry, argv: argv, summary: "create one index with every tag and every platform in \(repository.registry)")
            }
        }
    }
}
