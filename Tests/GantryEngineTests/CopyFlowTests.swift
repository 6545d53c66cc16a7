import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Recovery without rebuilding, in-process through `ReleaseFlow`: a digest one registry
/// lacks is copied from another; a release verified in a staging registry is promoted.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct CopyFlowTests {
    let amd64 = try! Platform.parse("linux/amd64")
    let arm64 = try! Platform.parse("linux/arm64")

    @Test("a platform only one registry holds is copied to the other on resume, not rebuilt; its bytes there match the digest")
    func resumeCopiesInsteadOfRebuilding() async throws {
        try await withFlowFixture(extra: ["attestations": "keep"]) { fixture in
            let argsLog = fixture.project.directory.url.appendingPathComponent("docker-args.log").path
            let left = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment(["GANTRY_STUB_ARGS_LOG": argsLog])) {
                try await $0.run(ScriptedInteraction { _ in .left })
            }
            // The push of arm64 to the second registry "failed": its per-platform index, image manifest and layer are gone there.
            let result = try #require(left.journal[platform: arm64]?.result)
            let pushed = try #require(result.pushedIndexDigest)
            let a = fixture.registries[0].host, b = fixture.registries[1].host
            let image = try #require(try await fixture.client.manifest(try .parse("\(a)/gantry/demo@\(result.manifestDigest)")).image)
            for (kind, digest) in [("manifests", pushed), ("manifests", result.manifestDigest), ("blobs", image.layers[0].digest)] {
                try await RegistryProbe.delete(host: b, repository: "gantry/demo", kind, digest: digest)
            }
            await #expect(throws: (any Error).self, "the second registry lacks arm64 now") { try await Skopeo.rawManifest("\(b)/gantry/demo@\(pushed)") }
            try Data().write(to: URL(fileURLWithPath: argsLog))

            let events = EventLog()
            let resumed = try await ReleaseFlow.with(.resume(left.journal.id, config: nil), in: fixture.environment(["GANTRY_STUB_ARGS_LOG": argsLog]), events: events.record) {
                try await $0.run(ScriptedInteraction())
            }
            #expect(resumed.stage == .verified)
            #expect(events.builds("started").isEmpty && Set(events.builds("reused")) == [amd64, arm64])
            #expect(buildsLogged(argsLog).isEmpty, "the buildx stand-in ran no build")
            let copies = events.all.compactMap { if case .copied(let report) = $0 { report } else { nil } }
            #expect(copies.map(\.target) == ["\(b)/gantry/demo@\(pushed)"] && copies.first?.source == "\(a)/gantry/demo@\(pushed)")
            #expect(resumed.journal.history.contains { $0.message.hasPrefix("linux/arm64: found in \(a)/gantry/demo, copied instead of rebuilt") })
            #expect(resumed.journal[platform: arm64]?.result?.presence["\(b)/gantry/demo"] == true)
            // The oracle: the second registry serves bytes hashing to the first one's digest, every blob whole.
            #expect(try await Skopeo.digest("\(b)/gantry/demo@\(pushed)") == pushed)
            try await expectEveryBlobVerifies("\(b)/gantry/demo@\(pushed)")
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a release verified in a staging registry is promoted by digest to two others and verifies everywhere")
    func promoteFromStaging() async throws {
        try await withFlowFixture(registries: 3, extra: ["attestations": "keep"]) { fixture in
            let staging = fixture.registries[0].host
            let stagingConfig = try await fixture.releaseAlone(in: 0, platforms: ["linux/amd64", "linux/arm64"])
            let staged = try await Skopeo.digest("\(staging)/gantry/demo:1.0.0")

            let argsLog = fixture.project.directory.url.appendingPathComponent("docker-args.log").path
            let events = EventLog()
            let interaction = ScriptedInteraction()
            let request = FlowRequest.promote(try fixture.config(), try SemanticVersion.parse("1.0.0"), from: staging, to: nil, FlowOptions())
            let outcome = try await ReleaseFlow.with(request, in: fixture.environment(["GANTRY_STUB_ARGS_LOG": argsLog]), events: events.record) {
                try await $0.run(interaction)
            }
            #expect(outcome.stage == .verified && outcome.succeeded, "\(outcome.journal.history.map(\.message))")
            #expect(outcome.journal.kind == .promote && outcome.journal.promotion?.indexDigest == staged)
            #expect(outcome.journal.registries.map(\.host) == fixture.registries.dropFirst().map(\.host))
            #expect(outcome.journal.settings?.publisher == .native && outcome.journal.settings?.configPath != stagingConfig)
            #expect(interaction.requests.count == 1, "the pending tag set is confirmed as for a release")
            let copied = events.all.compactMap { if case .copied(let report) = $0 { report.target } else { nil } }
            #expect(Set(copied) == Set(fixture.registries.dropFirst().map { "\($0.host)/gantry/demo@\(staged)" }))
            #expect(buildsLogged(argsLog).isEmpty, "nothing was built")
            for registry in fixture.registries.dropFirst() {
                for tag in fixture.tags {
                    #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:\(tag)") == staged, "\(registry.host) \(tag) is the staged index, byte for byte")
                }
                try await expectEveryBlobVerifies("\(registry.host)/gantry/demo:1.0.0")
                // The staging release's record travelled with the index; the promotion added its own.
                let latest = try ImageReference.parse("\(registry.host)/gantry/demo:latest")
                let records = try await RecordReader(client: fixture.client).records(about: staged, in: ImageReference(registry: registry.host, repository: "gantry/demo")).records
                #expect(Set(records.map(\.record.kind)) == [.release, .promote], "\(records.map(\.record.summary))")
                #expect(records.first { $0.record.kind == .release }?.record.registry == staging, "the carried record says where it was made")
                let history = try await TagHistory(client: fixture.client).timeline(of: latest)
                #expect(history.entries.first?.record?.record.kind == .promote && history.entries.first?.previous == nil)
            }
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a staged tag that is not a whole release is not promoted: nothing is journaled, copied or published")
    func partialStagingIsRefused() async throws {
        try await withFlowFixture(registries: 2) { fixture in
            let staging = fixture.registries[0].host
            _ = try await fixture.releaseAlone(in: 0, platforms: ["linux/amd64"])
            let request = FlowRequest.promote(try fixture.config(), try SemanticVersion.parse("1.0.0"), from: staging, to: nil, FlowOptions())
            let error = await #expect(throws: PromotionError.self) {
                try await ReleaseFlow.with(request, in: fixture.environment()) { _ in }
            }
            #expect(error?.reason == .notWhole && error?.message.contains("lacks linux/arm64") == true, "\(String(describing: error))")
            #expect(try fixture.store.list().isEmpty)
            #expect(try await RegistryProbe.tags(host: fixture.registries[1].host, repository: "gantry/demo") == [])
        }
    }

    /// The `docker build`/`bake` runs the buildx stand-in logged to `file` (none when it never ran).
    private func buildsLogged(_ file: String) -> [String] {
        let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return lines.filter { $0.contains("\"build\"") || $0.contains("\"bake\"") }
    }
}
