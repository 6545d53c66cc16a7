import Foundation
import GantryEngine
import Synchronization

/// The publish path against every single fault, in the style of a simulation test: for a
/// publish to real registries (each behind a fault proxy), each registry request k in turn
/// gets each fault. After each trial a resume (no faults; or the same publish again when the
/// fault hit the registry check before anything was journaled) must end with every tag in every
/// registry on one index holding every platform, and a watcher polling the registries must
/// never see a partial index. The test runs it on two registries; `gantry-bench faults`
/// runs a larger one.
public struct PublishFaultMatrix: Sendable {
    public static let faults: [(name: String, fault: FaultInjectingProxy.Fault)] = [
        ("500", .status(500)),
        ("429", .status(429, headers: [("Retry-After", "1")])),
        ("reset", .reset),
        ("stall", .stall(.milliseconds(400))),
    ]

    /// What a run saw.
    public struct Outcome: Sendable {
        /// Requests per registry in a fault-free publish (the matrix is their sum × faults).
        public var requests: [Int]
        public var trials: Int
        public var verifiedAtOnce: Int
        public var verifiedAfterResume: Int
        /// Trials whose resume did not end verified, or left a tag not whole.
        public var failures: [String]
        public var polls: Int
        /// Every time the watcher saw a tag on an index lacking a platform.
        public var partialIndexes: [String]

        public var summary: String {
            "\(requests.map(String.init).joined(separator: " + ")) requests × \(PublishFaultMatrix.faults.count) faults = \(trials) trials: "
                + "\(verifiedAtOnce) verified at once, \(verifiedAfterResume) verified after resume, \(failures.count) not whole; "
                + "watcher: \(polls) polls, \(partialIndexes.count) partial indexes seen"
        }
    }

    /// Answers every question with yes, as `--yes` does.
    struct Yes: ReleaseInteraction {
        func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }
        func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer { .confirmed(.assumed(request.pending)) }
    }

    /// Runs the matrix for the demo image of `platforms` published to `registries` with two
    /// tag rules (`{{version}}`, `{{major}}.{{minor}}`: new tags every trial).
    public static func run(registries: [RegistryServer], platforms: [String]) async throws -> Outcome {
        let proxies = try registries.map { try FaultInjectingProxy(upstreamPort: $0.port, rules: []) }
        defer { proxies.forEach { $0.stop() } }
        let project = try DemoProject(
            registries: proxies.map(\.host), platforms: platforms,
            extra: ["builder": "buildx", "tags": "[\"{{version}}\", \"{{major}}.{{minor}}\"]"])
        defer { project.remove() }
        let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
        let config = try ReleaseConfigLoader.load(path: project.configPath)
        let upstream = registries.map { ImageReference(registry: $0.host, repository: "gantry/demo") }
        // Faulted runs do not retry (every fault is felt); resumes retry as usual.
        let faulted = RegistryClient(configuration: .init(requestTimeout: .milliseconds(250), maxRetries: 0, maxRetryAfter: .milliseconds(50)), credentials: .anonymous)
        let steady = RegistryClient(configuration: .init(maxRetries: 2, retryBaseDelay: .milliseconds(10)), credentials: .anonymous)
        let watching = RegistryClient(configuration: .init(maxRetries: 0), credentials: .anonymous)
        do {
            let outcome = try await matrix(config: config, state: state, upstream: upstream, proxies: proxies, platforms: platforms,
                                           faulted: faulted, steady: steady, watching: watching)
            for client in [faulted, steady, watching] { try? await client.shutdown() }
            return outcome
        } catch {
            for client in [faulted, steady, watching] { try? await client.shutdown() }
            throw error
        }
    }

    private static func matrix(
        config: ReleaseConfig, state: StateDirectory, upstream: [ImageReference], proxies: [FaultInjectingProxy], platforms: [String],
        faulted: RegistryClient, steady: RegistryClient, watching: RegistryClient
    ) async throws -> Outcome {
        let watcher = Watcher(expected: Set(platforms))
        let watch = Task { await watcher.run(watching, repositories: upstream) }

        let built = try await ReleaseFlow.with(
            .build(config, try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil),
            in: FlowEnvironment(state: state, docker: StubDocker.path, client: steady)
        ) { try await $0.run(Yes()) }
        let sources = try JournalSources.of(built.journal.id, in: state).sources
        var failures: [String] = []

        /// One publish of version 1.TRIAL.0 with `rules` on proxy `faulty`; resumed unless it verified.
        func trial(_ number: Int, faulty: Int?, rules: [FaultInjectingProxy.Rule]) async throws -> (verifiedAtOnce: Bool, requests: [Int]) {
            let tags = ["1.\(number).0", "1.\(number)"]
            watcher.watch(tags)
            for (i, proxy) in proxies.enumerated() { proxy.arm(i == faulty ? rules : []) }
            let id = Mutex<ReleaseID?>(nil)
            let publish = FlowRequest.publish(config, try SemanticVersion.parse("1.\(number).0"), sources: sources, FlowOptions())
            var first: FlowOutcome?
            var refusedBeforeJournaling = false
            do {
                first = try await ReleaseFlow.with(publish, in: FlowEnvironment(state: state, client: faulted)) { flow in
                    id.withLock { $0 = flow.id }
                    return try await flow.run(Yes())
                }
            } catch is ToolchainPreflightError {
                // The fault hit the check before publishing: nothing was journaled or published,
                // and the advice is to run the same command again.
                refusedBeforeJournaling = true
            } catch {
                // A fault mid-publish: the flow's journal says where it stopped; the resume below goes on.
            }
            let requests = proxies.map { $0.log.count }
            for proxy in proxies { proxy.arm([]) }
            if first?.stage != .verified {
                let again: FlowRequest
                if refusedBeforeJournaling {
                    again = publish
                } else {
                    guard let started = id.withLock({ $0 }) else { throw TestSupportError("trial \(number): no journal") }
                    again = .resume(started, config: nil)
                }
                let resumed = try await ReleaseFlow.with(again, in: FlowEnvironment(state: state, client: steady)) {
                    try await $0.run(Yes())
                }
                if resumed.stage != .verified {
                    let errors = resumed.journal.publications.compactMap(\.error?.message)
                    failures.append("trial \(number): resume ended \(resumed.stage): \(errors.joined(separator: "; "))")
                }
            }
            for repository in upstream {
                for tag in tags {
                    do {
                        let index = try await steady.manifest(repository.with(tag: tag)).index
                        let found = Set(index?.manifests.compactMap { $0.platform?.platform?.description } ?? [])
                        if found != Set(platforms) { failures.append("trial \(number): \(repository.with(tag: tag)) holds \(found.sorted())") }
                    } catch {
                        failures.append("trial \(number): \(repository.with(tag: tag)): \(error)")
                    }
                }
            }
            return (first?.stage == .verified, requests)
        }

        let baseline = try await trial(1, faulty: nil, rules: [])
        if !baseline.verifiedAtOnce { failures.append("the fault-free publish did not verify at once") }
        var number = 1, atOnce = 0, resumed = 0
        for (registry, count) in baseline.requests.enumerated() {
            for k in 1...max(1, count) {
                for (_, fault) in faults {
                    number += 1
                    if try await trial(number, faulty: registry, rules: [.init(request: k, fault: fault)]).verifiedAtOnce { atOnce += 1 } else { resumed += 1 }
                }
            }
        }
        watcher.stop()
        await watch.value
        return Outcome(
            requests: baseline.requests, trials: baseline.requests.reduce(0, +) * faults.count, verifiedAtOnce: atOnce,
            verifiedAfterResume: resumed, failures: failures, polls: watcher.polls, partialIndexes: watcher.partial)
    }

    /// Polls the registries behind the proxies for the tags of the trial under way.
    final class Watcher: Sendable {
        let expected: Set<String>
        private let tags = Mutex<[String]>([])
        private let seen = Mutex<(polls: Int, partial: [String])>((0, []))
        private let stopped = Mutex(false)

        init(expected: Set<String>) { self.expected = expected }

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
                        if found != expected { seen.withLock { $0.partial.append("\(repository.with(tag: tag)): \(found.sorted())") } }
                    }
                }
                seen.withLock { $0.polls += 1 }
                try? await Task.sleep(for: .milliseconds(10))  // poll interval
            }
        }
    }
}
