/// Works out what a push-by-digest build put in the registries: the platform's manifest
/// digest (looking inside the index buildx pushes when attestations are on), its
/// attestation, and whether every repository holds it.
public struct PushedImageResolver: Sendable {
    public var registry: RegistryClient

    public init(registry: RegistryClient) {
        self.registry = registry
    }

    /// The result for `platform` pushed as `digest` (of `mediaType`) to every repository.
    public func resolve(
        platform: Platform, digest: String, mediaType: String?, repositories: [ImageReference]
    ) async throws -> BuildResult {
        guard let first = repositories.first else {
            throw BuildDriverError(message: "the release has no registry to push \(platform) to")
        }
        var result = BuildResult(platform: platform, manifestDigest: digest)
        var isIndex = mediaType.map(MediaType.isIndex) ?? false
        if mediaType == nil, let pushed = try await registry.resolve(first.with(digest: digest)) {
            isIndex = MediaType.isIndex(pushed.mediaType)
        }
        if isIndex {
            let index = try await registry.manifest(first.with(digest: digest))
            let images = index.index?.manifests.filter { !$0.isAttestation } ?? []
            guard let image = images.first(where: { $0.platform?.platform == platform }) ?? (images.count == 1 ? images.first : nil) else {
                throw BuildDriverError(message: "the index \(digest) pushed for \(platform) holds no \(platform) manifest")
            }
            result.pushedIndexDigest = digest
            result.manifestDigest = image.digest
            result.attestationDigest = index.index?.manifests.first { $0.attestationSubject == image.digest }?.digest
        }
        for repository in repositories {
            let present = try await registry.resolve(repository.with(digest: result.manifestDigest)) != nil
            result.presence[repository.name] = present
        }
        let missing = result.presence.filter { !$0.value }.keys.sorted()
        guard missing.isEmpty else {
            throw BuildDriverError(message: "\(platform) was pushed as \(result.manifestDigest) but \(missing.joined(separator: ", ")) does not hold it")
        }
        return result
    }
}
