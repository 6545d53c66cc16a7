/// The one place that spells Gantry's buildx and imagetools command lines, used by
/// `gantry plan` to print them and by the builds and publishers to run them.
public enum BuildxInvocation {
    /// `--output` for a push by digest to every repository at once, with no tag.
    public static func output(repositories: [ImageReference], plainHTTP: Bool) -> String {
        let names = repositories.map(\.name).joined(separator: ",")
        var parts = ["type=image", "\"name=\(names)\"", "push-by-digest=true", "name-canonical=true", "push=true"]
        if plainHTTP { parts.append("registry.insecure=true") }
        return parts.joined(separator: ",")
    }

    /// Labels added to every build: the config's, plus the OCI version and revision.
    /// `version` is text so a CI workflow can pass the shell variable holding it.
    public static func labels(config: ReleaseConfig, version: String, revision: String?) -> [(String, String)] {
        var labels = config.build.labels
        labels[AnnotationKey.version] = version
        if let revision { labels[AnnotationKey.revision] = revision }
        return labels.sorted { $0.key < $1.key }
    }

    /// `docker buildx build` (or `bake`) argv for one platform, without the `docker` path.
    /// `progress` is `rawjson` when Gantry reads it, `plain` in a CI log.
    public static func build(
        config: ReleaseConfig, platform: PlatformTarget, version: String,
        revision: String?, metadataFile: String, progress: String = "rawjson"
    ) -> [String] {
        let output = output(repositories: config.repositories, plainHTTP: config.registries.contains { $0.usesPlainHTTP })
        let attestations: [String] = config.attestations == .keep
            ? ["--provenance=mode=max", "--sbom=true"]
            : ["--provenance=false", "--sbom=false"]
        let labels = labels(config: config, version: version, revision: revision)
        if let bake = config.build.bake {
            var argv = ["buildx", "bake", "--file", config.resolvePath(bake.file)]
            if let builder = platform.builder { argv += ["--builder", builder] }
            let t = bake.target
            argv += ["--set", "\(t).platform=\(platform.platform)", "--set", "\(t).output=\(output)"]
            argv += labels.flatMap { ["--set", "\(t).labels.\($0.0)=\($0.1)"] }
            argv += ["--set", "\(t).attest=type=provenance,\(config.attestations == .keep ? "mode=max" : "disabled=true")"]
            if config.attestations == .keep { argv += ["--set", "\(t).attest=type=sbom"] }
            argv += ["--metadata-file", metadataFile, "--progress", progress, t]
            return argv
        }
        var argv = ["buildx", "build", "--platform", platform.platform.description]
        if let builder = platform.builder { argv += ["--builder", builder] }
        argv += ["--output", output, "--metadata-file", metadataFile, "--progress", progress]
        if let dockerfile = config.build.dockerfile { argv += ["--file", config.resolvePath(dockerfile)] }
        if let target = config.build.target { argv += ["--target", target] }
        argv += config.build.args.sorted { $0.key < $1.key }.flatMap { ["--build-arg", "\($0.key)=\($0.value)"] }
        argv += labels.flatMap { ["--label", "\($0.0)=\($0.1)"] }
        argv += attestations
        argv.append(config.resolvePath(config.build.context))
        return argv
    }

    /// `docker buildx imagetools create` argv for one registry: the index annotations,
    /// every tag, every platform digest, never `--append`.
    public static func imagetoolsCreate(
        repository: ImageReference, tags: [String], digests: [String], annotations: [(key: String, value: String)] = []
    ) -> [String] {
        var argv = ["buildx", "imagetools", "create"]
        for annotation in annotations { argv += ["--annotation", "index:\(annotation.key)=\(annotation.value)"] }
        for tag in tags { argv += ["-t", repository.with(tag: tag).description] }
        argv += digests.map { "\(repository.name)@\($0)" }
        return argv
    }
}
