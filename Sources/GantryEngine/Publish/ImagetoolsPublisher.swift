/// Publishes with `docker buildx imagetools create`: exactly one run per registry,
/// every tag and every platform digest at once, never `--append`. The command writes
/// every tag itself, so the tags are re-checked all together right before it runs.
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

    public func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> String {
        if plan.target.existing == true {
            // imagetools composes an index of its own: one fixed already is pushed as it is.
            return try await NativePublisher(client: client, attestations: .keep).publish(plan, stop: stop)
        }
        let repository = plan.repository
        guard let first = plan.tags.first else { throw PublishError(.noTags, "no tag to publish in \(repository.name)") }
        try await TagGuard(client: client).check(plan.rows, in: repository, registry: plan.target.registry)
        try PublishError.stopIfRequested(stop, repository, written: [])
        let argv = BuildxInvocation.imagetoolsCreate(
            repository: repository, tags: plan.tags, digests: plan.target.sources.map(\.digest), annotations: plan.target.sortedAnnotations)
        let process = ChildProcess(docker, argv, environment: environment)
        var tail: [String] = []
        let exit = try await process.run { line in
            onLine(line.text)
            tail.append(line.text)
            if tail.count > 20 { tail.removeFirst() }
        }
        guard exit.succeeded else {
            throw PublishError(.imagetools, "docker buildx imagetools create for \(repository.name) \(exit): \(tail.joined(separator: "\n"))")
        }
        guard let digest = try await client.resolve(repository.with(tag: first))?.digest else {
            throw PublishError(.imagetools, "imagetools create succeeded but \(repository.with(tag: first)) does not resolve")
        }
        return digest
    }
}
