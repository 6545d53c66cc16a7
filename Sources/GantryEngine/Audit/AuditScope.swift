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
            guard let owner = images.first(where: { Self.isConfigured(reference, in: $0.config) }) else {
                add(AuditTarget(reference, AuditExpectation(platforms: platforms, isComplete: false, comparesReleaseTags: platforms.isEmpty)))
                continue
            }
            let expectation = platforms.isEmpty
                ? AuditExpectation(platforms: owner.platforms, requiresIndex: true, isComplete: owner.isComplete)
                : AuditExpectation(platforms: platforms, requiresIndex: true, isComplete: true)
            add(AuditTarget(reference, expectation))
            guard let tag = reference.tag, reference.digest == nil else { continue }
            for repository in owner.config.repositories where repository.registry != reference.registry {
                add(AuditTarget(repository.with(tag: tag), expectation))
            }
        }
        self.targets = targets
    }

    /// Each repository `config` releases with the platforms its tags must hold: a family's
    /// repositories once each; variants share one, and a tag alone does not say which variant
    /// it is, so only the platforms every variant there builds are required (not the whole set).
    static func images(_ config: ReleaseConfig) -> [(config: ReleaseConfig, platforms: [Platform], isComplete: Bool)] {
        guard !config.images.isEmpty else { return [(config, config.platforms.map(\.platform), true)] }
        let members = ImageFamily(config).members.map(\.config)
        var seen: Set<String> = []
        return members.filter { seen.insert($0.image).inserted }.map { first in
            let sets = members.filter { $0.image == first.image }.map { Set($0.platforms.map(\.platform)) }
            let shared = sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
            let alike = sets.allSatisfy { $0 == sets[0] }
            return (first, first.platforms.map(\.platform).filter(shared.contains), alike)
        }
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
