/// What an audit of some references covers and expects, the same for `gantry audit REF`
/// and the console: a reference of the configured image (in a configured registry) is
/// expected to hold the config's platforms, and the same tag in the other configured
/// registries is audited too, so drift shows. Any other reference gets the platforms
/// given, as a minimum, or else is compared with its repository's release tags.
public struct AuditScope: Sendable, Equatable {
    public var targets: [AuditTarget]

    /// `platforms` (`--expect-platform`) replace the config's set where the config applies.
    /// With a family config, a tag of any of the family's images is audited against that
    /// image's own platforms, in its other registries too (a family's release, every image
    /// side by side, is `Auditor.audit(config:version:)`).
    public init(references: [ImageReference], config: ReleaseConfig?, platforms: [Platform] = []) {
        var targets: [AuditTarget] = []
        func add(_ target: AuditTarget) {
            if !targets.contains(where: { $0.reference == target.reference }) { targets.append(target) }
        }
        let images = config.map(Self.images) ?? []
        for reference in references {
            guard let owner = images.first(where: { Self.isConfigured(reference, in: $0) }) else {
                add(AuditTarget(reference, AuditExpectation(platforms: platforms, isComplete: false, comparesReleaseTags: platforms.isEmpty)))
                continue
            }
            func expectation(_ image: ReleaseConfig) -> AuditExpectation {
                AuditExpectation(platforms: platforms.isEmpty ? image.platforms.map(\.platform) : platforms, requiresIndex: true, isComplete: true)
            }
            add(AuditTarget(reference, expectation(owner)))
            guard let tag = reference.tag, reference.digest == nil else { continue }
            for repository in owner.repositories where repository.registry != reference.registry {
                add(AuditTarget(repository.with(tag: tag), expectation(owner)))
            }
        }
        self.targets = targets
    }

    /// The configs of the images `config` releases: each of a family's repositories once (a
    /// variant shares its image's repository: the first entry of it speaks for it), or the config itself.
    static func images(_ config: ReleaseConfig) -> [ReleaseConfig] {
        guard !config.images.isEmpty else { return [config] }
        var seen: Set<String> = []
        return ImageFamily(config).members.map(\.config).filter { seen.insert($0.image).inserted }
    }

    /// `text` as a reference to audit, read the same by `gantry audit` and the console. With
    /// a config, the configured image named without a registry (`acme/app:latest`, a tag picked
    /// from the console's list) means the first configured registry, not Docker Hub, and a bare
    /// tag (`latest`, `1.2.0`) means the configured image's tag; the scope then adds the other
    /// registries. Without a config, `latest` is Docker Hub's `library/latest`, as docker reads it.
    public static func reference(_ text: String, config: ReleaseConfig?) throws(ReferenceError) -> ImageReference {
        guard let config, let first = config.repositories.first else { return try ImageReference.parse(text) }
        if !text.contains("/"), !text.contains(":"), !text.contains("@"), TagName.isValid(text) { return first.with(tag: text) }
        let reference = try ImageReference.parse(text)
        guard text.hasPrefix(config.image + ":") || text.hasPrefix(config.image + "@") else { return reference }
        return ImageReference(registry: first.registry, repository: first.repository, tag: reference.tag, digest: reference.digest)
    }

    /// Whether `reference` is the config's image in one of its registries.
    public static func isConfigured(_ reference: ImageReference, in config: ReleaseConfig) -> Bool {
        config.repositories.contains { $0.registry == reference.registry && $0.repository == reference.repository }
    }
}
