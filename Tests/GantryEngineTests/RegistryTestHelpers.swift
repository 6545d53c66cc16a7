import Foundation
import GantryEngine
import GantryTestSupport

/// Runs `body` with a registry client that is always shut down afterwards.
func withRegistryClient<T>(
    _ configuration: RegistryClientConfiguration = .init(maxRetries: 1, retryBaseDelay: .milliseconds(20)),
    credentials: CredentialStore = .anonymous,
    _ body: (RegistryClient) async throws -> T
) async throws -> T {
    let client = RegistryClient(configuration: configuration, credentials: credentials)
    do {
        let value = try await body(client)
        try await client.shutdown()
        return value
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Runs `body` with a fresh buildah fixture store, removed afterwards.
func withImageFixtures<T>(credentials: String? = nil, _ body: (ImageFixtures) async throws -> T) async throws -> T {
    let fixtures = try ImageFixtures(credentials: credentials)
    defer { fixtures.remove() }
    return try await body(fixtures)
}

/// Uploads an index with `entries` under `tag` by hand and returns its digest.
@discardableResult
func putIndex(_ client: RegistryClient, _ repository: ImageReference, tag: String, entries: [Descriptor], annotations: [String: String]? = nil) async throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = try encoder.encode(ImageIndex(manifests: entries, annotations: annotations))
    return try await client.putManifest(repository, reference: tag, mediaType: MediaType.ociIndex, bytes: bytes)
}

/// Uploads a buildkit-style attestation manifest for `subject` and returns its index entry.
func putAttestation(_ client: RegistryClient, _ repository: ImageReference, subject: Descriptor) async throws -> Descriptor {
    let config = Data("{}".utf8)
    let statement = Data(#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"digest":{"sha256":"\#(subject.digest.dropFirst(7))"}}]}"#.utf8)
    let configDigest = sha256Digest(config), statementDigest = sha256Digest(statement)
    try await client.uploadBlob(repository, digest: configDigest, data: config)
    try await client.uploadBlob(repository, digest: statementDigest, data: statement)
    let manifest = ImageManifest(
        artifactType: "application/vnd.docker.attestation.manifest.v1+json",
        config: Descriptor(mediaType: MediaType.ociEmpty, digest: configDigest, size: Int64(config.count)),
        layers: [Descriptor(
            mediaType: "application/vnd.in-toto+json", digest: statementDigest, size: Int64(statement.count),
            annotations: ["in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"])])
    let bytes = try JSONEncoder().encode(manifest)
    let digest = try await client.putManifest(repository, reference: sha256Digest(bytes), mediaType: MediaType.ociManifest, bytes: bytes)
    return Descriptor(
        mediaType: MediaType.ociManifest, digest: digest, size: Int64(bytes.count),
        platform: DescriptorPlatform(os: "unknown", architecture: "unknown"),
        annotations: [AnnotationKey.dockerReferenceType: AnnotationKey.attestationManifest, AnnotationKey.dockerReferenceDigest: subject.digest])
}
