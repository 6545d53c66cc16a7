import Foundation
import GantryEngine

/// Uploads an index with `entries` under `tag` by hand and returns its digest.
@discardableResult
public func putIndex(_ client: RegistryClient, _ repository: ImageReference, tag: String, entries: [Descriptor], annotations: [String: String]? = nil) async throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = try encoder.encode(ImageIndex(manifests: entries, annotations: annotations))
    return try await client.putManifest(repository, reference: tag, mediaType: MediaType.ociIndex, bytes: bytes)
}

/// Uploads a buildkit-style attestation manifest for `subject` and returns its index entry.
public func putAttestation(_ client: RegistryClient, _ repository: ImageReference, subject: Descriptor) async throws -> Descriptor {
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

/// Pushes a buildah-built index of `platforms` (each with a random, incompressible layer of
/// `layerBytes`) to `reference`, then adds a provenance attestation per platform the way
/// buildx does, and points the reference's tag at that index. Returns its digest.
@discardableResult
public func pushAttestedIndex(
    _ client: RegistryClient, fixtures: ImageFixtures, platforms: [String], layerBytes: Int = 0, to reference: ImageReference
) async throws -> String {
    guard let tag = reference.tag else { throw TestSupportError("\(reference) names no tag") }
    let repository = ImageReference(registry: reference.registry, repository: reference.repository)
    try await fixtures.pushIndex(platforms: platforms, layerBytes: layerBytes, to: ["\(repository.name):\(tag)-images"])
    guard let built = try await client.manifest(repository.with(tag: "\(tag)-images")).index else {
        throw TestSupportError("buildah pushed no index to \(repository.name):\(tag)-images")
    }
    var entries = built.manifests
    for platform in built.manifests { entries.append(try await putAttestation(client, repository, subject: platform)) }
    return try await putIndex(client, repository, tag: tag, entries: entries)
}
