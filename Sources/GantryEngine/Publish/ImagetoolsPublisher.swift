/// Publishes with `docker buildx imagetools create`: exactly one run per registry,
/// every tag and every platform digest at once, never `--append`.
public struct ImagetoolsPublisher: IndexPublisher {
    public let client: RegistryClient
    /// `docker`, or a path; found on PATH.
    public var docker: String
    public var environment: [String: String]
    /// Receives each output line of the command, for logs.
    public var onLine: @Sendable (String) -> Void

    public init(client: RegistryClient, docker: String = "docker", environment: [String: String] = [:], onLine: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        self.docker = docker
        self.environment = environment
        self.onLine = onLine
    }

    public func publish(sources: [PlatformSource], tags: [String], repository: ImageReference) async throws -> String {
        guard let first = tags.first else { throw PublishError("no tag to publish in \(repository.name)") }
        let argv = BuildxInvocation.imagetoolsCreate(repository: repository, tags: tags, digests: sources.map(\.digest))
        let process = ChildProcess(docker, argv, environment: environment)
        var tail: [String] = []
        let exit = try await process.run { line in
            onLine(line.text)
            tail.append(line.text)
            if tail.count > 20 { tail.removeFirst() }
        }
        guard exit.succeeded else {
            throw PublishError("docker buildx imagetools create for \(repository.name) \(exit): \(tail.joined(separator: "\n"))")
        }
        guard let digest = try await client.resolve(repository.with(tag: first))?.digest else {
            throw PublishError("imagetools create succeeded but \(repository.with(tag: first)) does not resolve")
        }
        return digest
    }
}
