import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// The publish path against every single fault, in the style of a simulation test: for a
/// publish to two real registries, each registry request k in turn gets a 500, a 429 with
/// Retry-After, a reset connection or a stall past the client's timeout. After each, a
/// resume (no faults) must end with every tag in both registries on one index holding every
/// platform, and a watcher polling the registries must never see a partial index.
@Suite(.serialized) struct FaultMatrixTests {
    static let platforms: Set<String> = ["linux/amd64", "linux/arm64"]

    static let faults: [(name: String, fault: FaultInjectingProxy.Fault)] = [
        ("500", .status(500)),
        ("429", .status(429, headers: [("Retry-After", "1")])),
        ("reset", .reset),
        ("stall", .stall(.milliseconds(400))),
    ]

    /// Polls the registries behind the proxies for the tags of the trials and records any
    /// index that lacks a platform (or a single manifest) under them.
    final class Watcher: Sendable {
        private let tags = Mutex<[String]>([])
        private let seen = Mutex<(polls: Int, partial: [String])>((0, []))
        private let stopped = Mutex(false)

        func watch(_ tags: [String]) { self.tags.withLock { $0 = tags } }
        func stop() { stopped.withLock { $0 = true } }
        var polls: Int { seen.withLock { $0.polls } }
        var partial: [String] { seen.withLock { $0.partial } }

        func run(_ client: RegistryClient, repositories: [ImageReference]) async {
            while !stopped.withLock({ $0 }) {
                for repository in repositories {
                    for tag in tags.withLock({ $0 }) {
                        guard let manifest = try? await client.manifest(repository.with(tag: tag)) else { continue }
                        let found = Set(manifest.index?.manifests.filter { !$0.isAttestation }.compactMap { $0.platform?.platform?.description } ?? [])
                        if found != FaultMatrixTests.platforms {
                            seen.withLock { $0.partial.append("\(repository.with(tag: tag)): \(found.sorted())") }
                        }
                    }
                }
                seen.withLock { $0.polls += 1 }
                try? await Task.sleep(for: .milliseconds(10))  // poll interval
            }
        }
    }

    @Test("each registry request of the publish path faulted in turn: a resume always ends whole, no partial index is ever seen")
    func publishRequestFaults() async throws {
        try await withRegistries(2) { registries in
            let proxies = try registries.map { try FaultInjectingProxy(upstreamPort: $0.port, rules: []) }
            defer { proxies.forEach { $0.stop() } }
            let project = try DemoProject(
                registries: proxies.map(\.host), platforms: Self.platforms.sorted(),
                extra: ["builder": "buildx", "tags": "[\"{{version}}\", \"{{major}}.{{minor}}\"]"])
            defer { project.remove() }
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            // Faulted runs do not retry (every fault is felt); resumes retry as usual.
            let faulted = RegistryClient(
                configuration: .init(requestTimeout: .milliseconds(250), maxRetries: 0, maxRetryAfter: .milliseconds(50)), credentials: .anonymous)
            let steady = RegistryClient(configuration: .init(maxRetries: 2, retryBaseDelay: .milliseconds(10)), credentials: .anonymous)
            let watching = RegistryClient(configuration: .init(maxRetries: 0), credentials: .anonymous)
            let watcher = Watcher()
            let upstream = registries.map { ImageReference(registry: $0.host, repository: "gantry/demo") }
            let watch = Task { await watcher.run(watching, repositories: upstream) }
            defer { watcher.stop() }
            let built = try await ReleaseFlow.with(
                .build(config, try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil),
                in: FlowEnvironment(state: state, docker: StubDocker.path, client: steady)
            ) { try await $0.run(ScriptedInteraction()) }
            let sources = try JournalSources.of(built.journal.id, in: state).sources

            /// One publish of version 1.TRIAL.0 with `rules` armed on proxy `faulty`; resumed when it did not verify.
            func trial(_ number: Int, faulty: Int?, rules: [FaultInjectingProxy.Rule]) async throws -> (verifiedAtOnce: Bool, requests: [Int]) {
                let version = try SemanticVersion.parse("1.\(number).0")
                watcher.watch(["1.\(number).0", "1.\(number)"])
                for (i, proxy) in proxies.enumerated() { proxy.arm(i == faulty ? rules : []) }
                let id = Mutex<ReleaseID?>(nil)
                let first = try? await ReleaseFlow.with(
                    .publish(config, version, sources: sources, FlowOptions()), in: FlowEnvironment(state: state, client: faulted)
                ) { flow in
                    id.withLock { $0 = flow.id }
                    return try await flow.run(ScriptedInteraction())
                }
                let requests = proxies.map { $0.log.count }
                for proxy in proxies { proxy.arm([]) }
                if first?.stage != .verified {
                    let resumed = try await ReleaseFlow.with(
                        .resume(try #require(id.withLock { $0 }), config: nil), in: FlowEnvironment(state: state, client: steady)
                    ) { try await $0.run(ScriptedInteraction()) }
                    #expect(resumed.stage == .verified, "trial \(number): resume ended \(resumed.stage)")
                }
                for repository in upstream {
                    for tag in ["1.\(number).0", "1.\(number)"] {
                        let index = try await steady.manifest(repository.with(tag: tag)).index
                        let found = Set(index?.manifests.compactMap { $0.platform?.platform?.description } ?? [])
                        #expect(found == Self.platforms, "trial \(number): \(repository.with(tag: tag))")
                    }
                }
                return (first?.stage == .verified, requests)
            }

            let baseline = try await trial(1, faulty: nil, rules: [])
            #expect(baseline.verifiedAtOnce)
            var number = 1, atOnce = 0, resumed = 0
            for (registry, count) in baseline.requests.enumerated() {
                for k in 1...count {
                    for (_, fault) in Self.faults {
                        number += 1
                        let result = try await trial(number, faulty: registry, rules: [.init(request: k, fault: fault)])
                        if result.verifiedAtOnce { atOnce += 1 } else { resumed += 1 }
                    }
                }
            }
            watcher.stop()
            await watch.value
            for client in [faulted, steady, watching] { try? await client.shutdown() }
            let size = baseline.requests.reduce(0, +) * Self.faults.count
            print("fault matrix (publish path): \(baseline.requests.map(String.init).joined(separator: " + ")) requests × \(Self.faults.count) faults = \(size) trials: \(atOnce) verified at once, \(resumed) verified after resume; watcher: \(watcher.polls) polls, \(watcher.partial.count) partial indexes seen")
            #expect(atOnce + resumed == size)
            #expect(watcher.partial.isEmpty, "\(watcher.partial.prefix(5))")
        }
    }
}
