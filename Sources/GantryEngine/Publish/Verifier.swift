/// Reads every published tag back: it must resolve to the expected index holding
/// exactly the expected platforms, each once.
public struct Verifier: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// Verifies `tags` of `repository` against `indexDigest` and `platforms`.
    public func verify(tags: [String], repository: ImageReference, indexDigest: String, platforms: [Platform]) async -> [TagVerification] {
        await withTaskGroup(of: (Int, TagVerification).self) { group in
            for (i, tag) in tags.enumerated() {
                group.addTask { (i, await verifyOne(tag, repository, indexDigest, platforms)) }
            }
            var out = [TagVerification?](repeating: nil, count: tags.count)
            for await (i, v) in group { out[i] = v }
            return out.compactMap { $0 }
        }
    }

    private func verifyOne(_ tag: String, _ repository: ImageReference, _ indexDigest: String, _ expected: [Platform]) async -> TagVerification {
        var result = TagVerification(registry: repository.registry, tag: tag, digest: nil, platforms: [], problems: [])
        do {
            guard let descriptor = try await client.resolve(repository.with(tag: tag)) else {
                result.problems.append("the tag does not exist")
                return result
            }
            result.digest = descriptor.digest
            if descriptor.digest != indexDigest {
                result.problems.append("points to \(Digest.short(descriptor.digest)), not the published index \(Digest.short(indexDigest))")
            }
            let manifest = try await client.manifest(repository.with(digest: descriptor.digest))
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
