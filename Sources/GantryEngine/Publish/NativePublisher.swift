/// Gantry's own publisher: composes the index, pushes it by digest, then points
/// every tag at it (the same bytes, so every tag has the index's digest).
public struct NativePublisher: IndexPublisher {
    public let client: RegistryClient
    public let composer: IndexComposer

    public init(client: RegistryClient, attestations: AttestationPolicy) {
        self.client = client
        self.composer = IndexComposer(client: client, attestations: attestations)
    }

    public func publish(sources: [PlatformSource], tags: [String], repository: ImageReference) async throws -> String {
        let index = try await composer.compose(sources, in: repository)
        let pushed = try await client.putManifest(repository, reference: index.digest, mediaType: MediaType.ociIndex, bytes: index.bytes)
        guard pushed == index.digest else {
            throw PublishError("\(repository.name) stored the index as \(pushed), expected \(index.digest)")
        }
        for tag in tags {
            _ = try await client.putManifest(repository, reference: tag, mediaType: MediaType.ociIndex, bytes: index.bytes)
        }
        return index.digest
    }
}
