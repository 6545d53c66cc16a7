import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// Publishing step by step against what other writers do meanwhile: a tag moved after the
/// up-front check but before its own write, and an index entry whose platform lies.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PublishStepTests {
    /// Writes `latest` in `registry` directly, as another writer would, behind the proxy's back
    /// (blocking: it runs inside a proxy's hook, before the request goes on).
    static func writeLatest(_ bytes: Data, mediaType: String, straightTo registry: RegistryServer) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-other-writer-\(UUID().uuidString).json")
        try? bytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try? runQuickTool("curl", [
            "-sf", "-X", "PUT", "-H", "Content-Type: \(mediaType)", "--data-binary", "@\(file.path)",
            "http://\(registry.host)/v2/gantry/demo/manifests/latest",
        ])
    }

    /// Builds `project`'s platforms as version 1.0.0 and returns what publishing them needs.
    static func build(
        _ project: DemoProject, client: RegistryClient
    ) async throws -> (config: ReleaseConfig, environment: FlowEnvironment, sources: [PlatformSource]) {
        let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
        let environment = FlowEnvironment(state: state, docker: StubDocker.path, client: client)
        let config = try ReleaseConfigLoader.load(path: project.configPath)
        let built = try await ReleaseFlow.with(.build(config, try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil), in: environment) {
            try await $0.run(ScriptedInteraction())
        }
        return (config, environment, try JournalSources.of(built.journal.id, in: state).sources)
    }

    @Test("a tag moved after the first check, before its own write, is refused in every trial")
    func tagMovedBeforeItsOwnWrite() async throws {
        try await withRegistry { upstream in
            // Armed for one request at a time: when the index is pushed by digest, another
            // writer moves `latest` straight in the registry (behind the proxy's back).
            let intruder = Mutex<(bytes: Data, mediaType: String)?>(nil)
            let move: @Sendable (LoopbackHTTPServer.Request) -> Void = { _ in
                guard let (bytes, mediaType) = intruder.withLock({ value in defer { value = nil }; return value }) else { return }
                Self.writeLatest(bytes, mediaType: mediaType, straightTo: upstream)
            }
            let proxy = try FaultInjectingProxy(upstreamPort: upstream.port, rules: [
                .init(method: "PUT", pathContains: "/manifests/sha256:", fault: .before(move), times: Int.max),
            ])
            defer { proxy.stop() }
            let project = try DemoProject(registries: [proxy.host], platforms: ["linux/amd64"], extra: ["builder": "buildx", "tags": "[\"{{version}}\", latest]"])
            defer { project.remove() }
            try await withRegistryClient { client in
                let (config, environment, sources) = try await Self.build(project, client: client)
                let repository = ImageReference(registry: upstream.host, repository: "gantry/demo")
                let single = try await client.manifest(repository.with(digest: try #require(sources.first).digest))
                let trials = 5
                var refused = 0
                for trial in 1...trials {
                    // Each trial's intruder is a manifest of its own (an annotation apart), so `latest` really moves.
                    var json = try #require(try JSONSerialization.jsonObject(with: single.bytes) as? [String: Any])
                    json["annotations"] = ["org.example.trial": "\(trial)"]
                    let bytes = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
                    intruder.withLock { $0 = (bytes, single.mediaType) }
                    let version = try SemanticVersion.parse("1.0.\(trial)")
                    let outcome = try await ReleaseFlow.with(.publish(config, version, sources: sources, FlowOptions()), in: environment) {
                        try await $0.run(ScriptedInteraction())
                    }
                    let publication = try #require(outcome.journal.publications.first)
                    if outcome.stage == .failed, publication.error?.kind == "publish.tagMoved",
                       publication.error?.message.contains("1.0.\(trial) already point to the new index") == true,
                       try await Skopeo.digest("\(upstream.host)/gantry/demo:latest") == sha256Digest(bytes) {
                        refused += 1
                    } else {
                        Issue.record("trial \(trial): \(outcome.stage), \(String(describing: publication.error))")
                    }
                }
                #expect(refused == trials, "\(refused) of \(trials) trials refused the moved tag")
            }
        }
    }

    @Test("a tag already pointing at the index being published (our own write that timed out but landed) is not a move")
    func tagAlreadyAtTheNewIndex() async throws {
        try await withRegistry { upstream in
            let armed = Mutex(false)
            // When the index is pushed, `latest` already points at those very bytes.
            let land: @Sendable (LoopbackHTTPServer.Request) -> Void = { request in
                guard armed.withLock({ value in defer { value = false }; return value }) else { return }
                Self.writeLatest(request.body, mediaType: MediaType.ociIndex, straightTo: upstream)
            }
            let proxy = try FaultInjectingProxy(upstreamPort: upstream.port, rules: [
                .init(method: "PUT", pathContains: "/manifests/sha256:", fault: .before(land), times: Int.max),
            ])
            defer { proxy.stop() }
            let project = try DemoProject(registries: [proxy.host], platforms: ["linux/amd64"], extra: ["builder": "buildx", "tags": "[\"{{version}}\", latest]"])
            defer { project.remove() }
            try await withRegistryClient { client in
                let (config, environment, sources) = try await Self.build(project, client: client)
                armed.withLock { $0 = true }
                let outcome = try await ReleaseFlow.with(.publish(config, try SemanticVersion.parse("1.0.0"), sources: sources, FlowOptions()), in: environment) {
                    try await $0.run(ScriptedInteraction())
                }
                #expect(outcome.stage == .verified, "\(outcome.journal.publications.compactMap(\.error))")
                #expect(try await Skopeo.digest("\(upstream.host)/gantry/demo:latest") == outcome.journal.publications.first?.indexDigest)
            }
        }
    }

    @Test("an index entry whose image config names another platform than its descriptor is refused before any tag moves")
    func descriptorPlatformLies() async throws {
        try await withPublishScenario { scenario in
            let repository = scenario.repositories[0]
            let reference = "\(repository.registry)/\(scenario.image):armv7"
            try await scenario.fixtures.pushImage(platform: "linux/arm/v7", to: reference)
            let image = try #require(try await scenario.client.resolve(repository.with(tag: "armv7")))
            // A per-platform index (as buildx pushes with attestations) whose entry says arm/v6.
            var entry = image
            entry.platform = DescriptorPlatform(try Platform.parse("linux/arm/v6"))
            let lying = try await putIndex(scenario.client, repository, tag: "lying", entries: [entry])
            for registry in scenario.registries.dropFirst() {
                try await runTool("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                                       "docker://\(repository.registry)/\(scenario.image)@\(lying)", "docker://\(registry.host)/\(scenario.image):lying"])
            }
            // Claimed as the descriptor says (arm/v6) or as the config says (arm/v7): refused either way.
            for (claimed, message) in [("linux/arm/v6", "config says so), not linux/arm/v6"), ("linux/arm/v7", "described as linux/arm/v6")] {
                let sources = [PlatformSource(platform: try Platform.parse(claimed), digest: lying)]
                let recorder = try scenario.start(version: "1.0.0", tags: ["1.0.0", "latest"], sources: sources)
                let error = await #expect(throws: PublishError.self) { try await scenario.prepare(recorder) }
                #expect(error?.reason == .platformMismatch)
                #expect(error?.message.contains(message) == true, "\(String(describing: error))")
                // The publisher refuses on its own too, whatever a pending set says.
                let plan = RegistryPublishPlan(
                    repository: repository, target: IndexTarget(registry: repository.registry, digest: nil, platforms: [], sources: sources),
                    rows: [PendingTag(registry: repository.registry, tag: "latest", current: nil, new: TagTarget(digest: nil, platforms: []), change: .new)])
                let direct = await #expect(throws: PublishError.self) { try await NativePublisher(client: scenario.client, attestations: .keep).publish(plan, stop: StopRequest()) }
                #expect(direct?.reason == .platformMismatch)
            }
            let tags = try await scenario.client.tags(repository)
            #expect(!tags.contains("latest") && !tags.contains("1.0.0"))
        }
    }
}
