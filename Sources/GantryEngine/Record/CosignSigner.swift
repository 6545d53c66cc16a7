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
        guard layers.allSatisfy({ Digest.isValid($0.digest) }) else {
            throw RegistryError(.invalidResponse, "\(tag) lists a layer without a valid digest; it was left as it is")
        }
        guard layers.count < CosignSignature.maxSignatures else {
            throw RegistryError(.boundExceeded, "\(tag) holds \(layers.count) signatures already (at most \(CosignSignature.maxSignatures) are kept); it was left as it is")
        }
        // The same claims signed with this key already (a resumed publication) add nothing.
        if try await signedAlready(payload, among: layers, in: repository) { return try await uploaded }
        layers.append(layer)
        let config = Self.config(layers)
        let configDigest = ContentDigest.sha256(config)
        try await client.uploadBlob(repository, digest: configDigest, data: config, checkingFirst: false)
        try await uploaded
        let manifest = ImageManifest(config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)), layers: layers)
        try await client.putManifest(repository, reference: tag.tag!, mediaType: MediaType.ociManifest, bytes: RecordArtifact.encode(manifest))
    }

    /// Whether a layer of `layers` holds these claims with a signature this key made.
    private func signedAlready(_ payload: Data, among layers: [Descriptor], in repository: ImageReference) async throws -> Bool {
        let digest = ContentDigest.sha256(payload)
        let verifying = SignatureKey(key.key.publicKey, source: key.source)
        return layers.contains { layer in
            guard layer.digest == digest, let text = layer.annotations?[CosignSignature.signatureAnnotation], let signature = Data(base64Encoded: text) else { return false }
            return verifying.verifies(signature, over: payload)
        }
    }

    /// The simple-signing claims: this digest, in this repository.
    static func payload(_ digest: String, repository: ImageReference) -> Data {
        Data("""
            {"critical":{"identity":{"docker-reference":"\(repository.name)"},"image":{"docker-manifest-digest":"\(digest)"},"type":"cosign container image signature"},"optional":null}
            """.utf8)
    }

    /// The image config cosign gives a signature manifest: one diff id per layer.
    static func config(_ layers: [Descriptor]) -> Data {
        RecordArtifact.encode(SignatureConfig(rootfs: .init(diff_ids: layers.map(\.digest))))
    }

    /// cosign's image config of a signature manifest (the field names are the image spec's).
    private struct SignatureConfig: Encodable {
        var architecture = ""
        var config: [String: String] = [:]
        var created = "0001-01-01T00:00:00Z"
        var os = ""
        var rootfs: RootFS

        struct RootFS: Encodable {
            var type = "layers"
            var diff_ids: [String]
        }
    }
}
