import Foundation

/// Uploads the image of an OCI layout (its blobs, then its manifest) by digest, with no
/// tag, to a repository.
public struct OCILayoutUploader: Sendable {
    public var registry: RegistryClient

    public init(registry: RegistryClient) {
        self.registry = registry
    }

    /// The manifest the layout's `index.json` names (the only one, or the one tagged `ref`).
    public static func manifest(in layout: URL, ref: String = "latest") throws -> (descriptor: Descriptor, bytes: Data) {
        let indexFile = layout.appendingPathComponent("index.json")
        guard let data = try? Data(contentsOf: indexFile), let index = try? JSONDecoder().decode(ImageIndex.self, from: data) else {
            throw BuildDriverError(message: "\(indexFile.path) is missing or is not an OCI image index")
        }
        let named = index.manifests.first { $0.annotations?["org.opencontainers.image.ref.name"] == ref }
        guard let descriptor = named ?? (index.manifests.count == 1 ? index.manifests.first : nil) else {
            throw BuildDriverError(message: "\(indexFile.path) names no manifest \"\(ref)\"")
        }
        return (descriptor, try blob(descriptor.digest, in: layout))
    }

    /// Uploads the layout's manifest and everything it references to `repository`;
    /// returns the manifest's digest. `onBlob` hears each blob as it is uploaded.
    @discardableResult
    public func upload(layout: URL, to repository: ImageReference, onBlob: (Descriptor) -> Void = { _ in }) async throws -> String {
        let (descriptor, bytes) = try Self.manifest(in: layout)
        guard let manifest = try? JSONDecoder().decode(ImageManifest.self, from: bytes) else {
            throw BuildDriverError(message: "the manifest \(descriptor.digest) in \(layout.path) is not an image manifest")
        }
        for blob in [manifest.config] + manifest.layers {
            try await registry.uploadBlob(repository, digest: blob.digest, data: try Self.blob(blob.digest, in: layout))
            onBlob(blob)
        }
        let mediaType = manifest.mediaType ?? descriptor.mediaType
        return try await registry.putManifest(repository, reference: descriptor.digest, mediaType: mediaType, bytes: bytes)
    }

    private static func blob(_ digest: String, in layout: URL) throws -> Data {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { throw BuildDriverError(message: "\"\(digest)\" is not a digest") }
        let file = layout.appendingPathComponent("blobs/\(parts[0])/\(parts[1])")
        do { return try Data(contentsOf: file) } catch {
            throw BuildDriverError(message: "blob \(digest) is missing from \(layout.path)")
        }
    }
}
