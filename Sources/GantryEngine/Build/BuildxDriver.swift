import Foundation

/// Builds with `docker buildx build` (or `bake`): one invocation per platform, pushed by
/// digest to every repository at once, progress read from `--progress rawjson`.
public struct BuildxDriver: BuildDriver {
    public let name = "buildx"
    /// The docker executable (looked up on PATH).
    public var docker: String
    public var registry: RegistryClient
    public var environment: [String: String]
    public var gracePeriod: Duration

    public init(registry: RegistryClient, docker: String = "docker", environment: [String: String] = [:], gracePeriod: Duration = .seconds(10)) {
        self.docker = docker
        self.registry = registry
        self.environment = environment
        self.gracePeriod = gracePeriod
    }

    public func build(_ job: BuildJob, emit: @escaping @Sendable (BuildEvent.Kind) -> Void) async throws -> BuildResult {
        let metadataFile = job.folder.metadataFile(for: job.platform)
        try PrivateFolder.create(metadataFile.deletingLastPathComponent())
        try? FileManager.default.removeItem(at: metadataFile)
        let argv = BuildxInvocation.build(
            config: job.config, platform: job.target, version: job.version.description, revision: job.revision, metadataFile: metadataFile.path)
        let process = ChildProcess(docker, argv, environment: environment, gracePeriod: gracePeriod)
        var progress = RawJSONProgressDecoder()
        let exit = try await process.run { line in
            switch line.stream {
            case .stderr: progress.feed(line: line.bytes, emit)
            case .stdout: emit(.log(line.text))
            }
        }
        progress.finish(emit)
        guard exit.succeeded else {
            throw BuildDriverError(step: progress.failedStep, message: progress.errorMessage ?? "docker buildx \(exit)")
        }
        let metadata = try BuildMetadata.read(metadataFile, bakeTarget: job.config.build.bake?.target)
        let result = try await PushedImageResolver(registry: registry).resolve(
            platform: job.platform, digest: metadata.digest, mediaType: metadata.mediaType, repositories: job.config.repositories)
        for repository in job.config.repositories { emit(.pushed(repository: repository.name, digest: result.manifestDigest)) }
        return result
    }
}
