/// The tools one release uses, chosen once: the registry client, the build driver
/// and the publisher (`auto` resolved against this machine).
public struct ReleaseToolchain: Sendable {
    public let client: RegistryClient
    public let builder: BuilderChoice
    public let publisher: PublisherChoice
    public let attestations: AttestationPolicy
    /// `docker` (a name on PATH or a path).
    public let docker: String
    public let environment: [String: String]

    /// Resolves `auto` choices: buildx and imagetools when `docker buildx version` works,
    /// else buildah and the native publisher.
    public static func make(
        config: ReleaseConfig, builder: BuilderChoice? = nil, publisher: PublisherChoice? = nil,
        client: RegistryClient? = nil, docker: String = "docker", environment: [String: String] = [:]
    ) async -> ReleaseToolchain {
        let chosenBuilder = await BuilderDetection.resolve(builder ?? config.builder, docker: docker, environment: environment)
        var chosenPublisher = publisher ?? config.publisher
        if chosenPublisher == .auto { chosenPublisher = chosenBuilder == .buildx ? .imagetools : .native }
        let client = client ?? RegistryClient(configuration: RegistryClientConfiguration(
            insecureHosts: Set(config.registries.filter(\.insecure).map(\.host))))
        return ReleaseToolchain(
            client: client, builder: chosenBuilder, publisher: chosenPublisher, attestations: config.attestations,
            docker: docker, environment: environment)
    }

    public init(client: RegistryClient, builder: BuilderChoice, publisher: PublisherChoice, attestations: AttestationPolicy, docker: String = "docker", environment: [String: String] = [:]) {
        self.client = client
        self.builder = builder
        self.publisher = publisher
        self.attestations = attestations
        self.docker = docker
        self.environment = environment
    }

    /// The build driver.
    public func driver() -> any BuildDriver {
        builder == .buildah
            ? BuildahDriver(registry: client)
            : BuildxDriver(registry: client, docker: docker, environment: environment)
    }

    /// The index publisher; `onLine` receives imagetools' output.
    public func indexPublisher(onLine: @escaping @Sendable (String) -> Void = { _ in }) -> any IndexPublisher {
        publisher == .native
            ? NativePublisher(client: client, attestations: attestations)
            : ImagetoolsPublisher(client: client, docker: docker, environment: environment, onLine: onLine)
    }
}
