import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Publishing in a handful of round trips without giving up a guarantee: the tags of a
/// registry are written together (each still re-resolved right before its own PUT), every
/// registry gets no more requests than its budget, counted by a proxy, and moved tags
/// among parallel writes are refused with exactly the written ones named.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PublishRoundTripTests {
    @Test("the tags of a registry are written together: each tag's PUT reaches the registry while the others are on their way")
    func tagWritesGoOutTogether() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            let tags = ["alpha", "bravo", "charlie", "delta"]
            let sources = try await scenario.pushPlatforms(["linux/amd64"])
            // Each tag PUT is held until every one has arrived: written one after another,
            // the first would wait alone until the latch gives up.
            let latch = Latch(count: tags.count, deadline: Patience.wait)
            proxies[0].arm(tags.map { .init(method: "PUT", pathContains: "/manifests/\($0)", fault: .before { _ in latch.arriveAndWait() }) })
            let journal = try await scenario.release("1.0.0", tags: tags, sources: sources)
            #expect(!latch.gaveUp, "a tag write waited \(Patience.wait) for the others, which came one after another")
            #expect(journal.phase == .verified)
            for tag in tags {
                #expect(Set(try await Skopeo.digests(scenario.references(tag))) == Set(journal.publications.compactMap(\.indexDigest)))
            }
        }
    }

    @Test("every registry receives exactly its budget of requests, first release and a release moving tags, counted by a proxy")
    func requestsStayWithinTheBudget() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            let p = 2, t = 4
            let first = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"], labels: [AnnotationKey.version: "3.14.1"])
            let second = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"], labels: [AnnotationKey.version: "3.14.2"])
            for (version, sources, moved) in [("3.14.1", first, 0), ("3.14.2", second, 1)] {
                proxies.forEach { $0.arm([]) }
                let version = try SemanticVersion.parse(version)
                let tags = [version.description, "\(version.major).\(version.minor)", "\(version.major)", "latest"]
                // A client of its own, as each `gantry` run has: nothing cached from the release before.
                let journal = try await withRegistryClient { client in
                    try await PublishScenario(registries: scenario.registries, fixtures: scenario.fixtures, client: client, state: scenario.state, hosts: scenario.hosts)
                        .release(version.description, tags: tags, sources: sources)
                }
                #expect(journal.phase == .verified)
                for (i, proxy) in proxies.enumerated() {
                    let sent = Dictionary(grouping: proxy.log, by: \.kind).mapValues(\.count)
                    // Every tag: its current target, the check of all at once, the re-resolve
                    // right before its PUT, the PUT, the read-back. The index: one PUT.
                    var budget = ["HEAD manifest": 4 * t, "PUT manifest": 1 + t]
                    if i == 0 {
                        // The index is composed from the first registry: each platform's manifest and config, read once.
                        budget["GET manifest", default: 0] += p
                        budget["GET blob", default: 0] += p
                    } else {
                        budget["HEAD manifest", default: 0] += p
                    }
                    if moved > 0 {
                        // The current index, and its first platform's manifest and config for the version it holds.
                        budget["GET manifest", default: 0] += 2 * moved
                        budget["GET blob", default: 0] += moved
                    }
                    // The release record: its layer uploaded (POST, PUT), the empty config looked for
                    // (HEAD) and uploaded the first time, the subject's fallback index looked for
                    // (HEAD) and written (PUT), the record itself (PUT).
                    let uploads = moved == 0 ? 2 : 1
                    budget["POST upload", default: 0] += uploads
                    budget["PUT upload", default: 0] += uploads
                    budget["HEAD blob", default: 0] += 1
                    budget["HEAD manifest", default: 0] += 1
                    budget["PUT manifest", default: 0] += 2
                    #expect(sent == budget, "registry \(i), \(version): sent \(sent), budget \(budget)")
                }
            }
        }
    }

    @Test("two of five tags moved by another writer while the index is pushed: both refused, the three others written together and named")
    func movedTagsAmongParallelWrites() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            let repository = scenario.repositories[0]
            let intruder = try await scenario.client.manifest(repository.with(digest: sources[0].digest))
            let upstream = scenario.registries[0].host
            let file = try scenario.fixtures.directory.write("intruder.json", String(decoding: intruder.bytes, as: UTF8.self))
            // Another writer moves `3` and `latest` straight in the registry when the index is pushed.
            let move: @Sendable (LoopbackHTTPServer.Request) -> Void = { _ in
                for tag in ["3", "latest"] {
                    _ = try? runQuickTool("curl", ["-sf", "-X", "PUT", "-H", "Content-Type: \(intruder.mediaType)", "--data-binary", "@\(file)",
                                              "http://\(upstream)/v2/\(scenario.image)/manifests/\(tag)"])
                }
            }
            proxies[0].arm([.init(method: "PUT", pathContains: "/manifests/sha256:", fault: .before(move))])
            let tags = ["3.14.1", "3.14", "3", "latest", "stable"]
            let journal = try await scenario.release("3.14.1", tags: tags, sources: sources)
            let first = try #require(journal[registry: repository.registry])
            #expect(first.state == .failed)
            #expect(first.error?.kind == "publish.tagMoved")
            let message = first.error?.message ?? ""
            #expect(message.contains("3.14.1, 3.14, stable already point to the new index"), "\(message)")
            #expect(message.contains("3 moved from (absent) to \(Digest.short(intruder.digest))") && message.contains("latest moved"), "\(message)")
            for tag in ["3", "latest"] { #expect(try await Skopeo.digest(scenario.references(tag)[0]) == intruder.digest) }
            let index = try #require(journal[registry: scenario.repositories[1].registry]?.indexDigest)
            for tag in ["3.14.1", "3.14", "stable"] { #expect(try await Skopeo.digest(scenario.references(tag)[0]) == index) }
            #expect(journal[registry: scenario.repositories[1].registry]?.state == .verified)
        }
    }

    @Test("a registry that stores another body under a tag: the tag is named as moved there, never as untouched")
    func aRewrittenTagIsNamed() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            // The other body is an image the index does not list: distribution's filesystem
            // storage rewrites the links of a manifest put again, which a concurrent check of
            // an index listing it may read half-written.
            let pushed = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64", "linux/arm/v7"])
            let sources = Array(pushed.prefix(2))
            let repository = scenario.repositories[0]
            let other = try await scenario.client.manifest(repository.with(digest: pushed[2].digest))
            proxies[0].arm([.init(method: "PUT", pathContains: "/manifests/latest", fault: .storeInstead(other.bytes, contentType: other.mediaType))])
            let journal = try await scenario.release("1.0.0", tags: ["1.0.0", "latest"], sources: sources)
            let first = try #require(journal[registry: repository.registry])
            #expect(first.state == .failed)
            let message = first.error?.message ?? ""
            #expect(message.contains("the registry stored \(other.digest)"), "\(message)")
            #expect(message.contains("already moved to the new index: 1.0.0; moved to the other body the registry stored: latest"), "\(message)")
            #expect(!message.contains("untouched"), "\(message)")
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == other.digest, "the registry holds the other body under latest")
        }
    }

    @Test("a stop requested while the tags are written: the tag whose check saw it stays, the writes under way finish, and the refusal names exactly the tags the registry holds")
    func stopWhileTheTagsAreWritten() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            let sources = try await scenario.pushPlatforms(["linux/amd64"])
            let tags = ["1.0.0", "1.0", "1", "latest"]
            let recorder = try scenario.start(version: "1.0.0", tags: tags, sources: sources)
            let pending = try await scenario.prepare(recorder)
            // `latest` is checked twice after confirmation: all tags at once, then right
            // before its own write. The stop comes with the second check.
            let stop = StopRequest()
            proxies[0].arm([
                .init(method: "HEAD", pathContains: "/manifests/latest", fault: .before { _ in }),
                .init(method: "HEAD", pathContains: "/manifests/latest", fault: .before { _ in stop.request() }),
            ])
            let journal = try await PublishCoordinator(
                client: scenario.client, publisher: NativePublisher(client: scenario.client, attestations: .keep), recorder: recorder, stop: stop
            ).publish(Confirmation(confirming: pending))
            let first = try #require(journal[registry: scenario.repositories[0].registry])
            #expect(first.state == .failed)
            #expect(first.error?.kind == "publish.stopped")
            let held = try await scenario.client.tags(scenario.repositories[0]).filter(tags.contains)
            #expect(!held.contains("latest"))
            let named = held.isEmpty ? "stopped on request" : "already moved to the new index: \(tags.filter(held.contains).joined(separator: ", ")); no other tag was written"
            #expect(first.error?.message.contains(named) == true, "registry holds \(held); \(first.error?.message ?? "")")
        }
    }

    @Test("gantry publish asks about its digests in the preflight only; a digest one registry lacks is then copied there from another, and published")
    func thePublishFlowCopiesWhatThePreflightFindsMissing() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            func publish(_ version: String, _ sources: [PlatformSource]) async throws -> FlowOutcome {
                let config = try scenario.fixtures.directory.write("gantry-\(version).yaml", """
                    image: \(scenario.image)
                    registries: [\(scenario.hosts.joined(separator: ", "))]
                    platforms: [\(sources.map(\.platform.description).joined(separator: ", "))]
                    tags: ["{{version}}"]
                    builder: buildah
                    publisher: native

                    """)
                let request = FlowRequest.publish(try ReleaseConfigLoader.load(path: config), try SemanticVersion.parse(version), sources: sources, FlowOptions())
                return try await ReleaseFlow.with(request, in: FlowEnvironment(state: scenario.state, client: scenario.client)) {
                    try await $0.run(ScriptedInteraction())
                }
            }
            // Every digest everywhere: the first registry is read each manifest once (the
            // index is composed from it), the other asked once with HEAD; nothing more.
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            proxies.forEach { $0.arm([]) }
            #expect(try await publish("1.0.0", sources).stage == .verified)
            for (proxy, kind) in zip(proxies, ["GET manifest", "HEAD manifest"]) {
                let asked = proxy.log.filter { entry in sources.contains { entry.path.hasSuffix("/manifests/\($0.digest)") } }
                #expect(asked.map(\.kind) == [String](repeating: kind, count: sources.count), "\(asked.map { "\($0.method) \($0.path)" })")
            }
            // A platform only the first registry holds: copied to the second, then published.
            let armv7 = "\(scenario.registries[0].host)/\(scenario.image):armv7-only"
            try await scenario.fixtures.pushImage(platform: "linux/arm/v7", to: armv7)
            let digest = try await Skopeo.digest(armv7)
            let outcome = try await publish("1.1.0", sources + [PlatformSource(platform: try Platform.parse("linux/arm/v7"), digest: digest)])
            #expect(outcome.stage == .verified)
            #expect(outcome.journal.history.contains { $0.message.hasPrefix("linux/arm/v7: found in \(scenario.repositories[0].name), copied") })
            await #expect(try Skopeo.digest("\(scenario.registries[1].host)/\(scenario.image)@\(digest)") == digest)
            await #expect(try skopeoPlatforms(scenario.references("1.1.0")[1]) == ["linux/amd64", "linux/arm/v7", "linux/arm64"])
        }
    }

    @Test("a tag already pointing at the new index when it is checked (a write of ours that timed out but landed) is not a move: the publish goes on")
    func aTagAlreadyOnTheNewIndexIsNotRefused() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            let tags = ["2.0.0", "2.0", "latest"]
            let recorder = try scenario.start(version: "2.0.0", tags: tags, sources: sources)
            let pending = try await scenario.prepare(recorder)
            // `latest` lands on the new index after the pending set was read, as a stalled PUT of an earlier run does.
            let repository = scenario.repositories[0]
            let index = try await IndexComposer(client: scenario.client, attestations: .keep).compose(sources, in: repository)
            #expect(pending.target(for: repository.registry)?.digest == index.digest)
            try await scenario.client.putManifest(repository, reference: "latest", mediaType: MediaType.ociIndex, bytes: index.bytes)
            let journal = try await scenario.publish(recorder, pending)
            #expect(journal.phase == .verified, "\(journal.publications.compactMap(\.error?.message))")
            for tag in tags { #expect(try await Skopeo.digests(scenario.references(tag)) == [index.digest, index.digest]) }
        }
    }
}

/// Holds every caller until `count` have arrived, or `deadline` passes (then lets it go and
/// remembers that it gave up).
private final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let deadline: Duration
    private var arrivals = 0
    private var timedOut = false

    init(count: Int, deadline: Duration) {
        self.count = count
        self.deadline = deadline
    }

    func arriveAndWait() {
        condition.lock()
        defer { condition.unlock() }
        arrivals += 1
        condition.broadcast()
        let end = Date().addingTimeInterval(Double(deadline.components.seconds))
        while arrivals < count, condition.wait(until: end) {}
        if arrivals < count { timedOut = true }
    }

    /// Whether a caller waited out the deadline before the others came.
    var gaveUp: Bool { condition.withLock { timedOut } }
}
