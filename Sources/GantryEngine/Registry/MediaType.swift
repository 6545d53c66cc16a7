/// Media types of the manifests and blobs the registry client deals with.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"
    /// An in-toto statement (the layers of attestation manifests).
    public static let inToto = "application/vnd.in-toto+json"

    /// Every manifest type the client accepts, indexes first.
    public static let allManifests = [ociIndex, dockerManifestList, ociManifest, dockerManifest]

    /// The `Accept` header value for manifest requests.
    static let manifestAccept = allManifests.joined(separator: ", ")

    /// Whether `type` is a multi-platform index (OCI index or Docker manifest list).
    public static func isIndex(_ type: String) -> Bool {
        type == ociIndex || type == dockerManifestList
    }

    /// Whether `type` is a manifest media type the client understands.
    public static func isManifest(_ type: String) -> Bool {
        allManifests.contains(type)
    }
}

/// Annotation keys read by the audit and written by releases.
public enum AnnotationKey {
    public static let created = "org.opencontainers.image.created"
    public static let version = "org.opencontainers.image.version"
    public static let revision = "org.opencontainers.image.revision"
    public static let source = "org.opencontainers.image.source"
    /// Buildkit marks attestation manifests in an index with this key.
    public static let dockerReferenceType = "vnd.docker.reference.type"
    /// The digest of the platform manifest an attestation describes.
    public static let dockerReferenceDigest = "vnd.docker.reference.digest"
    public static let attestationManifest = "attestation-manifest"
    /// The predicate type of an in-toto layer (provenance, SBOM).
    public static let predicateType = "in-toto.io/predicate-type"
}
