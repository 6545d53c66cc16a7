/// Finds out what tags point to in every registry, and what is wrong with it: missing,
/// extra or duplicate platforms, drift between registries, missing tags, single manifests
/// where an index belongs, registries that cannot be asked.
///
/// Requests run concurrently (bounded per registry by the client); each tag costs one HEAD,
/// each distinct manifest one GET, each distinct platform image of an index its manifest
/// and config (to check the platform the index claims for it), and other config blobs are
/// read only when annotations lack version, revision or creation time.
public struct Auditor: Sendable {
    public let client: RegistryClient
    /// Whether to read image configs for labels when annotations lack them.
    public var readsConfigLabels: Bool
    /// Whether to look up signatures, referrers and attestation contents (a few requests
    /// more per distinct digest).
    public var inspectsSupplyChain: Bool
    /// Whether to check each index entry's platform against its image config (two requests
    /// more per distinct platform image); callers that only read what tags point to skip it.
    public var checksPlatforms: Bool
    /// The cosign public key signatures are verified with; without one only their claims are checked.
    public var signatureKey: SignatureKey?

    public init(
        client: RegistryClient, readsConfigLabels: Bool = true, inspectsSupplyChain: Bool = true, checksPlatforms: Bool = true,
        signatureKey: SignatureKey? = nil
    ) {
        self.client = client
        self.readsConfigLabels = readsConfigLabels
        self.inspectsSupplyChain = inspectsSupplyChain
        self.checksPlatforms = checksPlatforms
        self.signatureKey = signatureKey
    }

    /// Audits `references` (each with a tag or digest; `latest` when neither), in order.
    public func audit(_ references: [ImageReference], expecting expectation: AuditExpectation = .none) async -> AuditReport {
        await audit(references.map { AuditTarget($0, expectation) })
    }

    /// Audits each target against its own expectation, in order.
    public func audit(_ targets: [AuditTarget]) async -> AuditReport {
        let inspector = inspectsSupplyChain ? SupplyChainInspector(client: client, key: signatureKey) : nil
        let results = await withTaskGroup(of: (Int, AuditResult).self) { group in
            for (i, target) in targets.enumerated() {
                group.addTask { (i, await auditOne(target.reference, target.expectation, inspector)) }
            }
            var results = [AuditResult?](repeating: nil, count: targets.count)
            for await (i, result) in group { results[i] = result }
            return results.compactMap { $0 }
        }
        return AuditReport(results: Self.addingDrift(results))
    }

    /// Audits every tag the release of `version` publishes, in every configured registry,
    /// expecting an index with exactly the configured platforms: of every image of a family
    /// (`images:`), each against its own platforms, side by side.
    public func audit(config: ReleaseConfig, version: SemanticVersion) async -> AuditReport {
        await audit(Self.releaseTargets(config: config, version: version))
    }

    /// Every tag the release of `version` publishes (of every image of a family, in config
    /// order), in every configured registry, each expecting its image's platforms.
    public static func releaseTargets(config: ReleaseConfig, version: SemanticVersion) -> [AuditTarget] {
        ImageFamily(config).members.flatMap { member -> [AuditTarget] in
            let config = member.config
            let tags = TagSet(rules: config.tags, flavor: config.flavor, version: version).tags
            let expectation = AuditExpectation(
                platforms: config.platforms.map(\.platform), requiresIndex: true, requiresSignature: config.requirements.signed)
            return config.repositories.flatMap { repository in tags.map { AuditTarget(repository.with(tag: $0), expectation) } }
        }
    }

    private func auditOne(_ reference: ImageReference, _ given: AuditExpectation, _ inspector: SupplyChainInspector?) async -> AuditResult {
        var expectation = given
        var result = AuditResult(
            registry: reference.registry, repository: reference.repository, tag: reference.digest ?? reference.tag ?? "latest")
        do {
            guard let descriptor = try await client.resolve(reference) else {
                result.findings.append(Finding(.tagMissing, "\(result.reference) does not exist"))
                return result
            }
            result.digest = descriptor.digest
            result.mediaType = descriptor.mediaType
            let manifest = try await client.manifest(reference.with(digest: descriptor.digest))
            result.mediaType = manifest.mediaType
            var labels = ImageLabels(annotations: manifest.annotations)
            switch manifest.content {
            case .index(let index):
                describe(index, into: &result)
                if checksPlatforms { await checkPlatformClaims(of: index, in: reference, into: &result) }
                if readsConfigLabels, !labels.isComplete, let first = index.manifests.first(where: { !$0.isAttestation }) {
                    let image = try await client.manifest(reference.with(digest: first.digest))
                    labels.fill(from: ImageLabels(annotations: image.annotations))
                    if let imageManifest = image.image, !labels.isComplete {
                        labels.fill(from: ImageLabels(config: try await client.imageConfig(reference, manifest: imageManifest)))
                    }
                }
            case .image(let image):
                let config = try await client.imageConfig(reference, manifest: image)
                result.platforms = [AuditedPlatform(
                    platform: config.platform?.description ?? "unknown", digest: manifest.digest,
                    mediaType: manifest.mediaType, size: manifest.descriptor.size)]
                labels.fill(from: ImageLabels(config: config))
                if expectation.requiresIndex {
                    result.findings.append(Finding(
                        .notAnIndex, "\(result.reference) is a single \(result.platforms[0].platform) manifest, not a multi-platform index",
                        platform: result.platforms[0].platform))
                } else if expectation.platforms.isEmpty, expectation.comparesReleaseTags {
                    // The release tags say what this tag should be; unread, the verdict is incomplete, not clean.
                    do {
                        if let release = try await listTags(ImageReference(registry: reference.registry, repository: reference.repository))
                            .releaseGroup(excluding: descriptor.digest) {
                            result.findings.append(Self.notAnIndex(result.reference, platform: result.platforms[0].platform, release: release))
                            // Their platforms, as a minimum; an `unknown` entry names no platform to expect.
                            expectation = AuditExpectation(
                                platforms: release.platforms.compactMap { try? Platform.parse($0) }, requiresIndex: true, isComplete: false)
                        }
                    } catch {
                        result.unchecked.append(AuditGap(.releaseTags, error))
                    }
                }
            }
            result.created = labels.created
            result.version = labels.version
            result.revision = labels.revision
            result.annotations = manifest.annotations.isEmpty ? nil : manifest.annotations
            result.findings += Self.platformFindings(result, expectation)
            try await inspector?.inspect(&result, in: reference, expectation)
        } catch {
            result.findings.append(Finding(.unreachable, "\(result.reference): \(error)"))
        }
        return result
    }

    /// Splits index entries into platforms and attestations (tied to their subject's platform).
    private func describe(_ index: ImageIndex, into result: inout AuditResult) {
        let images = index.manifests.filter { !$0.isAttestation }
        let platformOf = Dictionary(images.map { ($0.digest, Self.platformName($0)) }, uniquingKeysWith: { first, _ in first })
        result.platforms = images.map {
            AuditedPlatform(platform: Self.platformName($0), digest: $0.digest, mediaType: $0.mediaType, size: $0.size)
        }
        result.attestations = index.manifests.filter(\.isAttestation).map {
            let subject = $0.attestationSubject ?? ""
            return AuditedAttestation(digest: $0.digest, subject: subject, platform: platformOf[subject], mediaType: $0.mediaType, size: $0.size)
        }
    }

    /// The normalised platform of an entry (`linux/arm` reads as `linux/arm/v7`), or its text when unknown.
    private static func platformName(_ descriptor: Descriptor) -> String {
        guard let platform = descriptor.platform else { return "unknown" }
        return platform.platform?.description ?? platform.description
    }

    /// Duplicate, missing and extra platforms.
    private static func platformFindings(_ result: AuditResult, _ expectation: AuditExpectation) -> [Finding] {
        var findings: [Finding] = []
        let byPlatform = Dictionary(grouping: result.platforms, by: \.platform)
        for platform in result.platforms.map(\.platform).uniqued() where byPlatform[platform]!.count > 1 {
            let digests = byPlatform[platform]!.map { Digest.short($0.digest) }.joined(separator: ", ")
            findings.append(Finding(
                .duplicatePlatform, "\(result.reference) has \(byPlatform[platform]!.count) entries for \(platform) (\(digests))",
                platform: platform))
        }
        guard !expectation.platforms.isEmpty else { return findings }
        let expected = expectation.platforms.map(\.description)
        for platform in expected where byPlatform[platform] == nil {
            findings.append(Finding(.missingPlatform, "\(result.reference) lacks \(platform)", platform: platform))
        }
        guard expectation.isComplete else { return findings }
        for platform in result.platforms.map(\.platform).uniqued() where !expected.contains(platform) {
            findings.append(Finding(.extraPlatform, "\(result.reference) has \(platform), which is not expected", platform: platform))
        }
        return findings
    }

    /// `not-an-index` for a single manifest where the repository's release tags are an index.
    static func notAnIndex(_ subject: String, platform: String, release: TagGroup) -> Finding {
        Finding(
            .notAnIndex,
            "\(subject) is a single \(platform) manifest, while the release tags \(release.tags.joined(separator: ", ")) are an index of \(release.platforms.joined(separator: ", "))",
            platform: platform)
    }

    /// Adds a `drift` finding to every result whose tag points elsewhere in another registry.
    static func addingDrift(_ results: [AuditResult]) -> [AuditResult] {
        func key(_ r: AuditResult) -> String {
            (r.repository.hasPrefix("library/") ? String(r.repository.dropFirst(8)) : r.repository) + ":" + r.tag
        }
        let groups = Dictionary(grouping: results.filter { $0.digest != nil }, by: key)
        return results.map { result in
            guard let digest = result.digest, let group = groups[key(result)],
                Set(group.compactMap(\.digest)).count > 1
            else { return result }
            var result = result
            let others = group.filter { $0.digest != digest }
                .map { "\($0.registry) has \(Digest.short($0.digest!))" }.joined(separator: ", ")
            result.findings.append(Finding(.drift, "\(result.reference) is \(Digest.short(digest)) but \(others)"))
            return result
        }
    }
}
