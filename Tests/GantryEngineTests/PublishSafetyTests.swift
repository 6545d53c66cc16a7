import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The publishing safety rules on two real registries, skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PublishSafetyTests {
    let amd64 = try! Platform.parse("linux/amd64")
    let arm64 = try! Platform.parse("linux/arm64")

    @Test func nativePublishPutsOneIndexWithExactlyThePlatformsUnderEveryTag() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            let tags = ["3.14.1", "3.14", "3", "latest"]
            let journal = try await scenario.release("3.14.1", tags: tags, sources: sources)
            #expect(journal.phase == .verified)
            #expect(journal.publications.map(\.state) == [.verified, .verified])
            let indexDigests = Set(journal.publications.compactMap(\.indexDigest))
            #expect(indexDigests.count == 1)
            for tag in tags {
                for reference in scenario.references(tag) {
                    #expect(try await Skopeo.digest(reference) == indexDigests.first)
                    #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"])
                    #expect(Set(try await skopeoIndexEntries(reference).compactMap { $0["digest"] as? String }) == Set(sources.map(\.digest)))
                }
            }
            // What is on disk is what was returned (dates are stored to the second).
            let stored = try scenario.store.load(journal.id)
            #expect(stored.phase == .verified)
            #expect(stored.publications == journal.publications)
            #expect(stored.before.count == tags.count * 2)
            #expect(stored.before.allSatisfy { $0.digest == nil })
        }
    }

    @Test func aTagMovedAfterConfirmationLeavesThatRegistryUntouched() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            let recorder = try scenario.start(version: "1.0.0", tags: ["1.0.0", "latest"], sources: sources)
            let pending = try await scenario.prepare(recorder)
            // Someone else publishes a single platform under `latest` in the first registry.
            let moved = scenario.repositories[0]
            let intruder = try await scenario.client.manifest(moved.with(digest: sources[0].digest))
            let intruderDigest = try await scenario.client.putManifest(moved, reference: "latest", mediaType: intruder.mediaType, bytes: intruder.bytes)
            let journal = try await scenario.publish(recorder, pending)
            #expect(journal.phase == .failed)
            let first = try #require(journal[registry: moved.registry])
            #expect(first.state == .failed)
            #expect(first.error?.message.contains("was not touched") == true)
            #expect(first.error?.message.contains("latest moved from (absent) to \(Digest.short(intruderDigest))") == true)
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == intruderDigest)
            #expect(try await scenario.client.tags(moved).contains("1.0.0") == false)
            let second = try #require(journal[registry: scenario.registries[1].host])
            #expect(second.state == .verified)
            #expect(try await skopeoPlatforms(scenario.references("latest")[1]) == ["linux/amd64", "linux/arm64"])
        }
    }

    @Test func aDowngradeHoldsTheMovingTagsUnlessAllowed() async throws {
        try await withPublishScenario { scenario in
            let newer = try await scenario.release("3.14.1", tags: ["3.14.1", "3.14", "3", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            #expect(newer.phase == .verified)
            let older = try await scenario.pushPlatforms(["linux/amd64"])
            let tags = ["3.13.9", "3.13", "3", "latest"]
            let held = try await scenario.prepare(try scenario.start(version: "3.13.9", tags: tags, sources: older))
            for registry in scenario.registries.map(\.host) {
                let rows = Dictionary(uniqueKeysWithValues: held.rows(for: registry).map { ($0.tag, $0) })
                #expect(rows["3.13.9"]?.change == .new)
                #expect(rows["3.13"]?.change == .new)
                for tag in ["3", "latest"] {
                    #expect(rows[tag]?.change == .held)
                    #expect(rows[tag]?.warnings.map(\.kind) == [.downgrade])
                    #expect(rows[tag]?.warnings.first?.message.contains("3.14.1") == true)
                }
                #expect(held.tagsToWrite(for: registry) == ["3.13.9", "3.13"])
            }
            let allowed = try await scenario.prepare(try scenario.start(version: "3.13.9", tags: tags, sources: older), allowDowngrade: true)
            for row in allowed.rows where ["3", "latest"].contains(row.tag) {
                #expect(row.change == .move)
                #expect(row.warnings.map(\.kind) == [.downgrade])
            }
        }
    }

    @Test func aNewIndexLackingACurrentPlatformIsWarnedAbout() async throws {
        try await withPublishScenario { scenario in
            _ = try await scenario.release("2.0.0", tags: ["2.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64", "linux/arm64"]))
            let amd64Only = try await scenario.pushPlatforms(["linux/amd64"])
            let pending = try await scenario.prepare(try scenario.start(version: "2.0.1", tags: ["2.0.1", "latest"], sources: amd64Only))
            let latest = pending.rows.filter { $0.tag == "latest" }
            #expect(latest.count == 2)
            for row in latest {
                #expect(row.change == .move)
                #expect(row.warnings.map(\.kind) == [.lostPlatforms])
                #expect(row.warnings.first?.message.contains("linux/arm64") == true)
            }
            #expect(pending.rows.filter { $0.tag == "2.0.1" }.allSatisfy { $0.warnings.isEmpty })
        }
    }

    @Test func preflightRefusesAMissingPlatformUnlessNamedAndADigestAbsentFromARegistry() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64"])
            let preflight = Preflight(client: scenario.client)
            let refused = await #expect(throws: PreflightError.self) {
                try await preflight.check(sources: sources, expected: [amd64, arm64], allowPartial: [], repositories: scenario.repositories)
            }
            #expect(refused?.description.contains("no digest for linux/arm64") == true)
            let partial = try await preflight.check(sources: sources, expected: [amd64, arm64], allowPartial: [arm64], repositories: scenario.repositories)
            #expect(partial == [amd64])

            // An arm64 image pushed to the first registry only.
            let onlyFirst = "\(scenario.registries[0].host)/\(scenario.image):arm64-only"
            try await scenario.fixtures.pushImage(platform: "linux/arm64", to: onlyFirst)
            let arm64Source = PlatformSource(platform: arm64, digest: try await Skopeo.digest(onlyFirst))
            let absent = await #expect(throws: PreflightError.self) {
                try await preflight.check(sources: sources + [arm64Source], expected: [amd64, arm64], allowPartial: [], repositories: scenario.repositories)
            }
            #expect(absent?.problems == ["linux/arm64 \(Digest.short(arm64Source.digest)) is not in \(scenario.repositories[1].name)"])
        }
    }
}
