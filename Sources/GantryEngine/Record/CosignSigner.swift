import Foundation

/// Signs a digest the way `cosign sign --key` does, so `cosign verify --key` and Gantry's
/// audit accept it: the simple-signing payload as a layer of the manifest tagged
/// `sha256-<hex>.sig`, its base64 DER signature in the layer's annotation. Signatures
/// already there are kept (cosign appends).
public struct CosignSigner: Sendable {
    public let client: RegistryClient
    public let key: SigningKey

    public init(client: RegistryClient, key: SigningKey) {
        self.client = client
        self.key = key
    }

    /// Signs `digest` in `repository`. The existing signatures are read while the payload
    /// uploads, so signing costs the round trips of one blob upload and one manifest PUT more
    /// than reading the tag.
    public func sign(_ digest: String, in repository: ImageReference) async throws {
        let payload = Self.payload(digest, repository: repository)
        let signature = try key.sign(payload).base64EncodedString()
        let layer = Descriptor(
            mediaType: CosignSignature.layerMediaType, digest: ContentDigest.sha256(payload), size: Int64(payload.count),
            annotations: [CosignSignature.signatureAnnotation: signature])
        let tag = repository.with(tag: Referrers.cosignSignatureTag(for: digest))
        async let uploaded: Void = client.uploadBlob(repository, digest: layer.digest, data: payload, checkingFirst: false)
        var layers = try await client.resolve(tag, cached: false) == nil ? [] : (try await client.manifest(tag).image?.layers ?? [])
        // The same claims signed again (a resumed publication) add nothing.
        if layers.contains(where: { $0.digest == layer.digest }) { return try await uploaded }
        layers.append(layer)
        let config = Self.config(layers)
        let configDigest = ContentDigest.sha256(config)
        try await client.uploadBlob(repository, digest: configDigest, data: config, checkingFirst: false)
        try await uploaded
        let manifest = ImageManifest(config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)), layers: layers)
        try await client.putManifest(repository, reference: tag.tag!, mediaType: MediaType.ociManifest, bytes: RecordArtifact.encode(manifest))
    }

    /// The simple-signing claims: this digest, in this repository.
    static func payload(_ digest: String, repository: ImageReference) -> Data {
        Data("""
            {"critical":{"identity":{"docker-reference":"\(repository.name)"},"image":{"docker-manifest-digest":"\(digest)"},"type":"cosign container image signature"},"optional":null}
            """.utf8)
    }

    /// The image config cosign gives a signature manifest: one diff id per layer.
    static func config(_ layers: [Descriptor]) -> Data {
        Data("""
            {"architecture":"","config":{},"created":"0001-01-01T00:00:00Z","os":"","rootfs":{"type":"layers","diff_ids":[\(layers.map { "\"\($0.digest)\"" }.joined(separator: ","))]}}
            """.utf8)
    }
}
