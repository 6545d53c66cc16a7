import Foundation

/// A release record as the registry stores it: an OCI 1.1 artifact (an image manifest of
/// `artifactType` Gantry's record type, the empty config, one JSON layer) whose subject is
/// the published index, so the referrers API or the `sha256-<hex>` fallback index finds it.
public struct RecordArtifact: Sendable, Equatable {
    public static let artifactType = "application/vnd.gantry.release-record.v1+json"
    /// The OCI empty config: `{}`.
    static let emptyConfig = Data("{}".utf8)

    public var record: ReleaseRecord
    /// The record's JSON (the layer) and the manifest's bytes, as pushed.
    public let layer: Data
    public let manifest: Data
    public var digest: String { ContentDigest.sha256(manifest) }

    /// The artifact of `record` about `subject`.
    public init(_ record: ReleaseRecord, subject: Descriptor) {
        self.record = record
        layer = record.encoded()
        let artifact = ImageManifest(
            artifactType: Self.artifactType,
            config: Descriptor(mediaType: MediaType.ociEmpty, digest: ContentDigest.sha256(Self.emptyConfig), size: Int64(Self.emptyConfig.count)),
            layers: [Descriptor(mediaType: Self.artifactType, digest: ContentDigest.sha256(layer), size: Int64(layer.count))],
            subject: Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: subject.size),
            annotations: [AnnotationKey.created: ReleaseRecord.timestamp(record.at)])
        manifest = Self.encode(artifact)
    }

    /// The descriptor a referrers index lists it under.
    public var descriptor: Descriptor {
        Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: Int64(manifest.count),
                   annotations: [AnnotationKey.created: ReleaseRecord.timestamp(record.at)], artifactType: Self.artifactType)
    }

    /// Sorted keys, no escaped slashes: what other OCI tools write.
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Manifests of strings and numbers always encode.
        return (try? encoder.encode(value)) ?? Data()
    }
}
