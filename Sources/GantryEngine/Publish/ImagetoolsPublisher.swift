/// Publishes with `docker buildx imagetools create`: exactly one run per registry,
/// every tag and every platform digest at once, never `--append`. The command writes
/// every tag itself, so the tags are re-checked all together right before it runs. Its index
/// digest is known only once it has written the tags, so its release record follows them.
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

    public func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> IndexPublication {
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
        guard let written = try await client.resolve(repository.with(tag: first)) else {
            throw PublishError(.imagetools, "imagetools create succeeded but \(repository.with(tag: first)) does not resolve")
        }
        guard let draft = plan.record else { return IndexPublication(digest: written.digest, record: nil) }
        // The tags have moved: nothing about the record can stop them now, so any failure is a warning.
        let index: FetchedManifest
        do { index = try await client.manifest(repository.with(digest: written.digest)) } catch {
            return IndexPublication(digest: written.digest, record: RecordReceipt(
                digest: nil, signed: false, warning: "the index imagetools wrote could not be read for its release record: \(RecordedError(error).message)"))
        }
        var relaxed = draft
        relaxed.required = false
        let receipt = try await RecordWriter(client: client).push(relaxed, subject: index.descriptor, bytes: index.bytes, rows: plan.rows, in: repository)
        return IndexPublication(digest: written.digest, record: receipt)
    }
}
