/// The tools one flow uses, chosen once: the registry client, the build driver and the
/// publisher (`auto` resolved against this machine when a release starts; a resume uses
/// the journaled choices).
public struct ReleaseToolchain: Sendable {
    public let client: RegistryClient
    public let builder: BuilderChoice
    public let publisher: PublisherChoice
    public let attestations: AttestationPolicy
    /// `docker` (a name on PATH or a path).
    public let docker: String
    public let environment: [String: String]
    /// A build limit shared with other flows (a family's), when there is one.
    public let buildSlots: BuildSlots?
    /// How publications are recorded and signed.
    public let records: RecordPolicy

    /// Resolves `auto` choices: buildx and imagetools when `docker buildx version` works,
    /// else buildah and the native publisher.
    public static func resolve(
        builder: BuilderChoice, publisher: PublisherChoice, docker: String = "docker", environment: [String: String] = [:]
    ) async -> (builder: BuilderChoice, publisher: PublisherChoice) {
        let chosenBuilder = await BuilderDetection.resolve(builder, docker: docker, environment: environment)
        return (chosenBuilder, publisher.resolved(with: chosenBuilder))
    }

    public init(
        client: RegistryClient, builder: BuilderChoice, publisher: PublisherChoice, attestations: AttestationPolicy, docker: String = "docker",
        environment: [String: String] = [:], buildSlots: BuildSlots? = nil, records: RecordPolicy = RecordPolicy()
    ) {
        self.buildSlots = buildSlots
        self.records = records
        self.client = client
        self.builder = builder
        self.publisher = publisher
        self.attestations = attestations
        self.docker = docker
        self.environment = environment
    }

    /// The build driver.
    public func driver() -> any BuildDriver {
        let driver: any BuildDriver = builder == .buildah
            ? BuildahDriver(registry: client)
            : BuildxDriver(registry: client, docker: docker, environment: environment)
        return buildSlots?.limiting(driver) ?? driver
    }

    /// The index publisher; `onLine` receives imagetools' output.
    public func indexPublisher(onLine: @escaping @Sendable (String) -> Void = { _ in }) -> any IndexPublisher {
        publisher == .native
            ? NativePublisher(client: client, attestations: attestations)
            : ImagetoolsPublisher(client: client, docker: docker, environment: environment, onLine: onLine)
    }
}
