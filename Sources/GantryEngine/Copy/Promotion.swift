/// What a promotion publishes: the index a release version's tag points to in the
/// registry it was verified in, by digest, so a resume copies the same bytes even if the
/// tag moved since.
public struct Promotion: Codable, Sendable, Equatable {
    /// The registry the release is copied from (a staging registry, often not a configured one).
    public var from: RegistryTarget
    /// The version's tag it was found under.
    public var tag: String
    public var indexDigest: String
    public var mediaType: String

    public init(from: RegistryTarget, tag: String, indexDigest: String, mediaType: String) {
        self.from = from
        self.tag = tag
        self.indexDigest = indexDigest
        self.mediaType = mediaType
    }

    /// The registry promoted from (its config entry when it is a configured one), and the
    /// registries promoted to: `to` (each must be configured), else every configured one but `from`.
    static func registries(config: ReleaseConfig, from: String, to: [String]?) throws -> (source: RegistryTarget, targets: [RegistryTarget]) {
        if let problem = RegistryHost.problem(from) { throw PromotionError(.targets, "--from \(from): \(problem)") }
        let source = config.registry(from) ?? RegistryTarget(host: from)
        let configured = config.registries.map(\.host).joined(separator: ", ")
        var targets: [RegistryTarget] = []
        if let to, !to.isEmpty {
            for host in to {
                guard let target = config.registry(host) else {
                    throw PromotionError(.targets, "--to \(host) is not a registry of \(config.source) (\(configured))")
                }
                if !targets.contains(target) { targets.append(target) }
            }
        } else {
            targets = config.registries
        }
        targets.removeAll { $0.host == source.host }
        guard !targets.isEmpty else {
            throw PromotionError(.targets, "nothing to promote to: the registries of \(config.source) (\(configured)) are all \(source.host)")
        }
        return (source, targets)
    }

    /// Resolves `version`'s tag in `from` and checks it is a whole release of `config`: an
    /// index holding exactly the configured platforms, each once. Returns the promotion and
    /// each platform's digests.
    static func resolve(
        config: ReleaseConfig, version: SemanticVersion, from: RegistryTarget, client: RegistryClient
    ) async throws -> (promotion: Promotion, results: [BuildResult]) {
        let tag = TagSet.versionTag(rules: config.tags, flavor: config.flavor, version: version)
        let reference = from.repository(for: config.image).with(tag: tag)
        let expectation = AuditExpectation(platforms: config.platforms.map(\.platform), requiresIndex: true)
        guard let result = await Auditor(client: client, readsConfigLabels: false, inspectsSupplyChain: false, checksPlatforms: false).audit([reference], expecting: expectation).results.first,
              let digest = result.digest, let mediaType = result.mediaType
        else {
            throw PromotionError(.notWhole, "\(reference) could not be audited")
        }
        if let problem = result.findings.first(where: { $0.kind == .unreachable || $0.kind == .tagMissing }) {
            throw PromotionError(.notFound, "nothing to promote: \(problem.message)")
        }
        guard result.findings.isEmpty else {
            throw PromotionError(.notWhole, "\(reference) is not a whole release of \(config.image) \(version), so it is not promoted: "
                + result.findings.map(\.message).joined(separator: "; "))
        }
        let results = result.platforms.compactMap { audited -> BuildResult? in
            guard let platform = try? Platform.parse(audited.platform) else { return nil }
            return BuildResult(
                platform: platform, manifestDigest: audited.digest,
                attestationDigest: result.attestations.first { $0.subject == audited.digest }?.digest,
                presence: [reference.name: true])
        }
        return (Promotion(from: from, tag: tag, indexDigest: digest, mediaType: mediaType), results)
    }
}

/// A promotion that cannot start: the version is not (wholly) in the source registry, or
/// the targets are not the config's. Nothing was copied or published.
public struct PromotionError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// The version's tag is not in the source registry, or the registry cannot be asked.
        case notFound
        /// The tag is not an index of exactly the configured platforms.
        case notWhole
        /// A target is not a configured registry, or no target is left.
        case targets
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var code: String { "promote.\(reason.rawValue)" }
    public var description: String { message }
}
