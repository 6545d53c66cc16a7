/// Reads every published tag back, once every tag of the registry was written: it must
/// resolve to the expected index holding exactly the expected platforms, each once. A tag
/// found elsewhere was moved by another writer after Gantry's write (no registry can
/// refuse that: tag writes have no compare-and-swap); what it points to now is named, and
/// a lower version than this run's is a downgrade.
public struct Verifier: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// Verifies `tags` of `repository` against `indexDigest` and `platforms`; `version` is the
    /// version the index is of.
    public func verify(tags: [String], repository: ImageReference, indexDigest: String, platforms: [Platform], version: SemanticVersion?) async -> [TagVerification] {
        await withTaskGroup(of: (Int, TagVerification).self) { group in
            for (i, tag) in tags.enumerated() {
                group.addTask {
                    let verification = await verifyOne(tag, repository, indexDigest, platforms, version)
                    ActivityLog.record(.readBack(repository: repository.name, tag: tag, digest: verification.digest, ok: verification.ok))
                    return (i, verification)
                }
            }
            var out = [TagVerification?](repeating: nil, count: tags.count)
            for await (i, v) in group { out[i] = v }
            return out.compactMap { $0 }
        }
    }

    private func verifyOne(_ tag: String, _ repository: ImageReference, _ indexDigest: String, _ expected: [Platform], _ version: SemanticVersion?) async -> TagVerification {
        var result = TagVerification(registry: repository.registry, tag: tag, digest: nil, platforms: [], problems: [])
        do {
            guard let descriptor = try await client.resolve(repository.with(tag: tag)) else {
                result.problems.append("the tag does not exist")
                return result
            }
            result.digest = descriptor.digest
            let manifest = try await client.manifest(repository.with(digest: descriptor.digest))
            if descriptor.digest != indexDigest {
                // Another writer's index, and what it says it is: the only clue to who moved it.
                let theirs = (manifest.index?.annotations?[AnnotationKey.version]).flatMap { try? SemanticVersion.parse($0) }
                var isDowngrade = false
                if let theirs, let version { isDowngrade = theirs < version }
                let moved = TagVerification.MovedAway(version: theirs, isDowngrade: isDowngrade)
                result.movedAway = moved
                let what = theirs.map { "\($0) (\(Digest.short(descriptor.digest)))" } ?? Digest.short(descriptor.digest)
                // No registry refuses a stale write, so this is found only by reading back; the
                // flow's next step (`gantry resume`) shows the tag again before writing it.
                result.problems.append(
                    "moved away after Gantry wrote it: points to \(what), not the published index \(Digest.short(indexDigest)); another publisher wrote it"
                        + (moved.isDowngrade
                            ? ", a lower version than the \(version.map { "\($0)" } ?? "") published here: `gantry resume` points it back once you confirm"
                            : ": if that is not a newer release, `gantry resume` shows it in the pending tag set again"))
                return result
            }
            guard let index = manifest.index else {
                result.problems.append("is a single manifest, not an index")
                return result
            }
            let found = index.manifests.filter { !$0.isAttestation }.compactMap { $0.platform?.platform }
            result.platforms = found
            let counts = Dictionary(grouping: found, by: { $0 }).mapValues(\.count)
            for (platform, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
                result.problems.append("\(platform) appears \(count) times")
            }
            let missing = expected.filter { counts[$0] == nil }
            let extra = Set(found).subtracting(expected).sorted()
            if !missing.isEmpty { result.problems.append("missing \(missing.map(\.description).joined(separator: ", "))") }
            if !extra.isEmpty { result.problems.append("unexpected \(extra.map(\.description).joined(separator: ", "))") }
        } catch {
            result.problems.append("cannot be read: \(error)")
        }
        return result
    }
}
