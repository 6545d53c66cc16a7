import Foundation
import GantryEngine
import GantryTestSupport

/// Two real registries, buildah images, a state folder and a registry client: the
/// pieces every publishing test needs, with the steps of a publish as one-liners.
struct PublishScenario {
    let registries: [RegistryServer]
    let fixtures: ImageFixtures
    let client: RegistryClient
    let state: StateDirectory
    /// The hosts the release goes to: the registries', or proxies in front of them.
    var hosts: [String]
    let image = "acme/app"

    init(registries: [RegistryServer], fixtures: ImageFixtures, client: RegistryClient, state: StateDirectory, hosts: [String]? = nil) {
        self.registries = registries
        self.fixtures = fixtures
        self.client = client
        self.state = state
        self.hosts = hosts ?? registries.map(\.host)
    }

    var repositories: [ImageReference] { hosts.map { ImageReference(registry: $0, repository: image) } }
    var store: JournalStore { JournalStore(state: state) }

    /// `host/acme/app:tag` in every registry.
    func references(_ tag: String) -> [String] { hosts.map { "\($0)/\(image):\(tag)" } }

    /// Builds one image per platform and pushes them (same digests) to every registry,
    /// the way CI jobs push by digest; returns the sources as skopeo reads them. The pushes
    /// go straight to the registries, never through proxies (whose logs count a publish).
    func pushPlatforms(_ platforms: [String], labels: [String: String] = [:]) async throws -> [PlatformSource] {
        let list = try await fixtures.buildIndex(platforms: platforms, labels: labels)
        let staging = registries.map { "\($0.host)/\(image):ci-\(UUID().uuidString.prefix(8).lowercased())" }
        for reference in staging { try await fixtures.pushIndex(list, to: reference) }
        return try await skopeoIndexEntries(staging[0]).map { entry in
            PlatformSource(platform: try Platform.parse(platformText(entry)), digest: entry["digest"] as! String)
        }
    }

    /// A new publish journal holding `sources` as built results.
    func start(version: String, tags: [String], sources: [PlatformSource], expected: [Platform]? = nil) throws -> JournalRecorder {
        let version = try SemanticVersion.parse(version)
        var journal = ReleaseJournal(
            id: try ReleaseID("app-\(version)-\(UUID().uuidString.prefix(8))"), kind: .publish, image: image,
            version: version, registries: hosts.map { RegistryTarget(host: $0) }, tags: tags,
            expectedPlatforms: expected ?? sources.map(\.platform))
        for source in sources {
            journal[platform: source.platform] = ReleaseJournal.PlatformRecord(
                platform: source.platform, state: .built, result: BuildResult(platform: source.platform, manifestDigest: source.digest))
        }
        journal.phase = .built
        return try JournalRecorder(creating: journal, store: store)
    }

    /// The pending tag set of the recorder's journal (the native publisher knows the index digest in advance).
    func prepare(
        _ recorder: JournalRecorder, publisher: PublisherChoice = .native, allowDowngrade: Bool = false, allowPartial: Set<Platform> = []
    ) async throws -> PendingTagSet {
        let toolchain = ReleaseToolchain(client: client, builder: .buildah, publisher: publisher, attestations: .keep)
        return try await PublishPreparation(toolchain: toolchain, allowPartial: allowPartial, allowDowngrade: allowDowngrade).prepare(recorder)
    }

    /// Publishes what `pending` shows, as confirmed.
    func publish(_ recorder: JournalRecorder, _ pending: PendingTagSet, publisher: (any IndexPublisher)? = nil) async throws -> ReleaseJournal {
        try await PublishCoordinator(
            client: client, publisher: publisher ?? NativePublisher(client: client, attestations: .keep), recorder: recorder
        ).publish(Confirmation(confirming: pending))
    }

    /// Start, prepare and publish in one go.
    func release(_ version: String, tags: [String], sources: [PlatformSource]) async throws -> ReleaseJournal {
        let recorder = try start(version: version, tags: tags, sources: sources)
        return try await publish(recorder, try await prepare(recorder))
    }
}

/// Runs `body` with two registries, buildah fixtures, a client and a state folder, all torn down afterwards.
func withPublishScenario<T>(_ body: (PublishScenario) async throws -> T) async throws -> T {
    try await withRegistries(2) { registries in
        try await withImageFixtures { fixtures in
            try await withTemporaryDirectory(prefix: "gantry-state") { folder in
                try await withRegistryClient { client in
                    try await body(PublishScenario(
                        registries: registries, fixtures: fixtures, client: client, state: StateDirectory(root: folder.url)))
                }
            }
        }
    }
}

/// `withPublishScenario` with every registry reached through a `FaultInjectingProxy`
/// (no rules until a test arms them; its log counts what the publish sends).
func withProxiedPublishScenario<T>(_ body: (PublishScenario, [FaultInjectingProxy]) async throws -> T) async throws -> T {
    try await withPublishScenario { scenario in
        let proxies = try scenario.registries.map { try FaultInjectingProxy(upstreamPort: $0.port, rules: []) }
        defer { proxies.forEach { $0.stop() } }
        var proxied = scenario
        proxied.hosts = proxies.map(\.host)
        return try await body(proxied, proxies)
    }
}
