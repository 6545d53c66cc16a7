import Crypto
import Foundation
import GantryEngine

/// Signatures and referrer artifacts made the way cosign and ORAS make them, with a key
/// of the test's own, pushed to a real registry.
public struct SupplyChainFixtures: Sendable {
    public let client: RegistryClient
    public let key: P256.Signing.PrivateKey

    public init(client: RegistryClient, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) {
        self.client = client
        self.key = key
    }

    /// The public key as `cosign.pub` holds it.
    public var publicKeyPEM: String { key.publicKey.pemRepresentation }

    /// Signs `digest` as `cosign sign --key` does: the simple-signing payload as a layer of
    /// the manifest tagged `sha256-<hex>.sig`, its DER signature in the layer's annotation.
    /// Signatures already there are kept (cosign appends). `claiming` puts another digest in
    /// the payload, as a signature moved from elsewhere would have.
    public func sign(_ digest: String, in repository: ImageReference, claiming: String? = nil) async throws {
        let payload = Data("""
            {"critical":{"identity":{"docker-reference":"\(repository.name)"},"image":{"docker-manifest-digest":"\(claiming ?? digest)"},"type":"cosign container image signature"},"optional":null}
            """.utf8)
        let signature = try key.signature(for: payload).derRepresentation.base64EncodedString()
        let layer = try await upload(payload, mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", to: repository,
                                     annotations: ["dev.cosignproject.cosign/signature": signature])
        let tag = repository.with(tag: digest.replacingOccurrences(of: ":", with: "-") + ".sig")
        var layers = try await client.resolve(tag) == nil ? [] : (try await client.manifest(tag).image?.layers ?? [])
        layers.append(layer)
        let config = try await upload(Data("""
            {"architecture":"","config":{},"created":"0001-01-01T00:00:00Z","os":"","rootfs":{"type":"layers","diff_ids":[\(layers.map { "\"\($0.digest)\"" }.joined(separator: ","))]}}
            """.utf8), mediaType: MediaType.ociConfig, to: repository)
        try await put(ImageManifest(config: config, layers: layers), in: repository, reference: tag.tag!)
    }

    /// Pushes an OCI 1.1 artifact of `artifactType` about `subject` and lists it in the
    /// subject's `sha256-<hex>` fallback index, as ORAS and regclient do on a registry
    /// without the referrers API (distribution 2.8). Returns the artifact's digest.
    @discardableResult
    public func attach(artifactType: String, content: Data, to subject: String, in repository: ImageReference) async throws -> String {
        let subjectManifest = try await client.manifest(repository.with(digest: subject))
        let layer = try await upload(content, mediaType: artifactType, to: repository)
        let config = try await upload(Data("{}".utf8), mediaType: MediaType.ociEmpty, to: repository)
        let artifact = ImageManifest(artifactType: artifactType, config: config, layers: [layer], subject: subjectManifest.descriptor)
        let bytes = try Self.encode(artifact)
        let digest = try await client.putManifest(repository, reference: sha256Digest(bytes), mediaType: MediaType.ociManifest, bytes: bytes)
        let fallback = repository.with(tag: subject.replacingOccurrences(of: ":", with: "-"))
        var entries = try await client.resolve(fallback) == nil ? [] : (try await client.manifest(fallback).index?.manifests ?? [])
        entries.append(Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: Int64(bytes.count), artifactType: artifactType))
        let index = try Self.encode(ImageIndex(manifests: entries))
        try await client.putManifest(repository, reference: fallback.tag!, mediaType: MediaType.ociIndex, bytes: index)
        return digest
    }

    private func upload(_ data: Data, mediaType: String, to repository: ImageReference, annotations: [String: String]? = nil) async throws -> Descriptor {
        let digest = sha256Digest(data)
        try await client.uploadBlob(repository, digest: digest, data: data)
        return Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count), annotations: annotations)
    }

    private func put(_ manifest: ImageManifest, in repository: ImageReference, reference: String) async throws {
        try await client.putManifest(repository, reference: reference, mediaType: MediaType.ociManifest, bytes: try Self.encode(manifest))
    }

    private static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
