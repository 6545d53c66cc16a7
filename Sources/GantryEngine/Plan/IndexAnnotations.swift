import Foundation

/// The annotations a release puts on its published index: the config's `annotations`
/// plus the ones Gantry adds — version, revision, creation time, and the source
/// repository when known. Registries show them (GHCR reads the description from the
/// index of a multi-platform image); the audit reads the version back from them.
public enum IndexAnnotations {
    /// Keys Gantry sets from the release itself; a config may not set them.
    public static let reserved = [AnnotationKey.version, AnnotationKey.revision, AnnotationKey.created]

    /// The index annotations of `version` released from `revision` at `date`: what a plan
    /// shows and a release journals (and publishes) when it starts.
    public static func release(config: ReleaseConfig, version: SemanticVersion, revision: String?, at date: Date) -> [String: String] {
        make(config: config, version: version.description, revision: revision, created: timestamp(date), sourceUnlessConfigured: githubSource())
    }

    /// The index annotations of a release. Values are passed through as text, so a CI
    /// workflow can give shell variables for what it learns at run time. The source
    /// repository is the config's (`configuredSource`), else `sourceUnlessConfigured`.
    public static func make(
        config: ReleaseConfig, version: String, revision: String?, created: String, sourceUnlessConfigured: String?
    ) -> [String: String] {
        var annotations = config.annotations
        annotations[AnnotationKey.version] = version
        if let revision { annotations[AnnotationKey.revision] = revision }
        annotations[AnnotationKey.created] = created
        if let source = configuredSource(config) ?? sourceUnlessConfigured { annotations[AnnotationKey.source] = source }
        return annotations
    }

    /// `annotations` by key, the order `imagetools create --annotation` gets them in.
    public static func sorted(_ annotations: [String: String]) -> [(key: String, value: String)] {
        annotations.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// The source repository the config names (an annotation or a label), if any.
    public static func configuredSource(_ config: ReleaseConfig) -> String? {
        config.annotations[AnnotationKey.source] ?? config.build.labels[AnnotationKey.source]
    }

    /// The repository a GitHub Actions run builds (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY`).
    public static func githubSource(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let server = environment["GITHUB_SERVER_URL"], let repository = environment["GITHUB_REPOSITORY"],
              !server.isEmpty, !repository.isEmpty else { return nil }
        return "\(server)/\(repository)"
    }

    /// `date` as the OCI `created` annotation wants it (RFC 3339, UTC, seconds).
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Why `key` cannot be a config annotation, or nil when it can.
    public static func keyProblem(_ key: String) -> String? {
        if reserved.contains(key) { return "\(key) is set by Gantry from the release; leave it out" }
        let allowed = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_/".contains($0)) }
        return allowed ? nil : "\"\(key)\" is not an annotation key: use letters, digits, '.', '-', '_' and '/', such as org.opencontainers.image.description"
    }
}
