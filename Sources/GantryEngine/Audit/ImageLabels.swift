/// Creation time, version and revision of an image, from OCI annotations or config labels.
struct ImageLabels: Sendable, Equatable {
    var created: String?
    var version: String?
    var revision: String?

    init(created: String? = nil, version: String? = nil, revision: String? = nil) {
        self.created = created
        self.version = version
        self.revision = revision
    }

    /// From `org.opencontainers.image.*` annotations.
    init(annotations: [String: String]) {
        self.init(
            created: annotations[AnnotationKey.created], version: annotations[AnnotationKey.version],
            revision: annotations[AnnotationKey.revision])
    }

    /// From `org.opencontainers.image.*` config labels; `created` falls back to the config's own.
    init(config: ImageConfig) {
        let labels = config.labels
        self.init(
            created: labels[AnnotationKey.created] ?? config.created, version: labels[AnnotationKey.version],
            revision: labels[AnnotationKey.revision])
    }

    var isComplete: Bool { created != nil && version != nil && revision != nil }

    /// Takes values this one lacks from `other`.
    mutating func fill(from other: ImageLabels) {
        created = created ?? other.created
        version = version ?? other.version
        revision = revision ?? other.revision
    }
}
