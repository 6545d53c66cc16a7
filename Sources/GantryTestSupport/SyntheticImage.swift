import Foundation
import GantryEngine

/// Small images made by hand and pushed with Gantry's own client, for content no builder
/// makes: an index that lies about a platform, annotations holding control characters. A
/// registry stores such content as it is sent, so the lie is the registry's own.
public enum SyntheticImage {
    /// Pushes a one-layer image whose config names `platform` (`linux/amd64`) under each of
    /// `tags` (by its digest when there are none); returns its manifest's descriptor (with that platform) and its config's digest.
    @discardableResult
    public static func push(
        _ platform: String, annotations: [String: String]? = nil, to repository: ImageReference, tags: [String], client: RegistryClient
    ) async throws -> (manifest: Descriptor, config: String) {
        let parts = platform.split(separator: "/").map(String.init)
        let config = try JSONSerialization.data(
            withJSONObject: ["os": parts[0], "architecture": parts[1], "rootfs": ["type": "layers", "diff_ids": [] as [String]]], options: .sortedKeys)
        let layer = Data("layer \(UUID())".utf8)
        try await client.uploadBlob(repository, digest: sha256Digest(config), data: config)
        try await client.uploadBlob(repository, digest: sha256Digest(layer), data: layer)
        var manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: sha256Digest(config), size: Int64(config.count)),
            layers: [Descriptor(mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256Digest(layer), size: Int64(layer.count))])
        manifest.annotations = annotations
        let bytes = try JSONEncoder().encode(manifest)
        for reference in tags.isEmpty ? [sha256Digest(bytes)] : tags {
            try await client.putManifest(repository, reference: reference, mediaType: MediaType.ociManifest, bytes: bytes)
        }
        let descriptor = Descriptor(
            mediaType: MediaType.ociManifest, digest: sha256Digest(bytes), size: Int64(bytes.count),
            platform: DescriptorPlatform(os: parts[0], architecture: parts[1], variant: parts.count > 2 ? parts[2] : nil))
        return (descriptor, sha256Digest(config))
    }

    /// Pushes an OCI index of `entries`, as they are (platforms included), under each of `tags`.
    @discardableResult
    public static func pushIndex(
        _ entries: [Descriptor], annotations: [String: String]? = nil, to repository: ImageReference, tags: [String], client: RegistryClient
    ) async throws -> Descriptor {
        let index = ImageIndex(schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries, annotations: annotations)
        let bytes = try JSONEncoder().encode(index)
        for tag in tags { try await client.putManifest(repository, reference: tag, mediaType: MediaType.ociIndex, bytes: bytes) }
        return Descriptor(mediaType: MediaType.ociIndex, digest: sha256Digest(bytes), size: Int64(bytes.count))
    }
}
