import Foundation

/// Composes the OCI index of a release from its platforms' digests, the way
/// `imagetools create` does: per-platform indexes (a manifest plus its attestation)
/// are flattened, platforms come from the manifests' image configs, attestation
/// entries are kept or dropped per the config.
public struct IndexComposer: Sendable {
    public let client: RegistryClient
    public var attestations: AttestationPolicy

    public init(client: RegistryClient, attestations: AttestationPolicy) {
        self.client = client
        self.attestations = attestations
    }

    /// The repository whose copy of the platforms composes every registry's index: the first.
    /// Manifests and configs are content-addressed, so the same digest is the same bytes in
    /// every registry that holds it (the preflight checks each does); reading them once
    /// spares the other registries those requests.
    public static func contentRepository(of repositories: [ImageReference]) -> ImageReference? { repositories.first }

    /// The composed index, read from `repository`: its bytes, digest and platforms, with
    /// `annotations` at its top level. Each entry's platform is read from its image config,
    /// the truth for every kind of source: a descriptor that says otherwise is refused before
    /// anything is written. The sources are read all at once; the entries keep their order.
    public func compose(_ sources: [PlatformSource], in repository: ImageReference, annotations: [String: String] = [:]) async throws -> ComposedIndex {
        let parts = try await withThrowingTaskGroup(of: (Int, ComposedSource).self) { group in
            for (i, source) in sources.enumerated() {
                group.addTask { (i, try await compose(source, in: repository)) }
            }
            var parts = [ComposedSource?](repeating: nil, count: sources.count)
            for try await (i, part) in group { parts[i] = part }
            return parts.compactMap { $0 }
        }
        let platforms = parts.map(\.platform)
        if let duplicate = Dictionary(grouping: platforms, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw PublishError(.duplicatePlatform, "\(duplicate) appears twice among the sources; an index holds each platform once")
        }
        let index = ImageIndex(
            schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: parts.flatMap(\.entries), annotations: annotations.isEmpty ? nil : annotations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = try encoder.encode(index)
        return ComposedIndex(bytes: bytes, digest: ContentDigest.sha256(bytes), platforms: platforms)
    }

    /// One source's index entries (its image, and its attestation when kept) and platform.
    private struct ComposedSource: Sendable {
        var entries: [Descriptor]
        var platform: Platform
    }

    private func compose(_ source: PlatformSource, in repository: ImageReference) async throws -> ComposedSource {
        let fetched = try await client.manifest(repository.with(digest: source.digest))
        switch fetched.content {
        case .index(let index):
            let images = index.manifests.filter { !$0.isAttestation }
            guard images.count == 1, let image = images.first else {
                throw PublishError(.notOnePlatform, "\(source.platform): \(source.digest) in \(repository.name) is an index of \(images.count) platform images; give the digest of one platform")
            }
            let child = try await client.manifest(repository.with(digest: image.digest))
            guard let manifest = child.image else {
                throw PublishError(.notOnePlatform, "\(source.platform): \(image.digest) in \(repository.name) is not an image manifest")
            }
            let platform = try await configPlatform(manifest, in: repository, digest: image.digest, expected: source.platform)
            if let described = image.platform?.platform, described != platform {
                throw PublishError(.platformMismatch, "\(image.digest) is described as \(described) in \(source.digest) but its image config says \(platform): the index would lie about its platform")
            }
            var descriptor = image
            descriptor.platform = DescriptorPlatform(platform)
            let kept = attestations == .keep ? index.manifests.filter { $0.isAttestation && $0.attestationSubject == image.digest } : []
            return ComposedSource(entries: [descriptor] + kept, platform: platform)
        case .image(let manifest):
            let platform = try await configPlatform(manifest, in: repository, digest: source.digest, expected: source.platform)
            let descriptor = Descriptor(
                mediaType: fetched.mediaType, digest: fetched.digest, size: Int64(fetched.bytes.count), platform: DescriptorPlatform(platform))
            return ComposedSource(entries: [descriptor], platform: platform)
        }
    }

    /// The platform `manifest`'s image config names, which must be `expected`.
    private func configPlatform(_ manifest: ImageManifest, in repository: ImageReference, digest: String, expected: Platform) async throws -> Platform {
        let config = try await client.imageConfig(repository, manifest: manifest)
        guard let found = config.platform?.platform else {
            throw PublishError(.noPlatform, "\(digest) has no platform in its image config; expected \(expected)")
        }
        guard found == expected else {
            throw PublishError(.platformMismatch, "\(digest) is a \(found) image (its config says so), not \(expected): check the digest given for \(expected)")
        }
        return found
    }
}

/// An index ready to push: its exact bytes and digest.
public struct ComposedIndex: Sendable, Equatable {
    public var bytes: Data
    public var digest: String
    public var platforms: [Platform]
}
