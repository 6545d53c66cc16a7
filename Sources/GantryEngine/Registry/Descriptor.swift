/// An OCI content descriptor: what a manifest or blob is, where it is, and how big.
public struct Descriptor: Codable, Sendable, Hashable {
    public var mediaType: String
    public var digest: String
    public var size: Int64
    public var platform: DescriptorPlatform?
    public var annotations: [String: String]?
    public var artifactType: String?

    public init(
        mediaType: String, digest: String, size: Int64, platform: DescriptorPlatform? = nil,
        annotations: [String: String]? = nil, artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
        self.artifactType = artifactType
    }

    /// Whether this index entry is a buildkit attestation manifest rather than a platform image.
    public var isAttestation: Bool {
        annotations?[AnnotationKey.dockerReferenceType] == AnnotationKey.attestationManifest
    }

    /// The subject digest of an attestation entry.
    public var attestationSubject: String? {
        isAttestation ? annotations?[AnnotationKey.dockerReferenceDigest] : nil
    }
}

/// The `platform` object of an index entry, kept exactly as the registry sent it.
public struct DescriptorPlatform: Codable, Sendable, Hashable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case architecture, os, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String, architecture: String, variant: String? = nil, osVersion: String? = nil, osFeatures: [String]? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.osVersion = osVersion
        self.osFeatures = osFeatures
    }

    public init(_ platform: Platform) {
        self.init(os: platform.os, architecture: platform.architecture, variant: platform.variant)
    }

    /// The normalised platform (`linux/arm` is `linux/arm/v7`), or nil for `unknown/unknown` and the like.
    public var platform: Platform? { try? Platform.parse(description) }

    /// `os/arch[/variant]` as written.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}
