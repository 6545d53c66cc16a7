import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Rolling a release back on two real registries, skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RollbackTests {
    @Test("the rollback flow: declined changes nothing, confirmed restores, then there is nothing to roll back")
    func rollbackFlow() async throws {
        try await withPublishScenario { scenario in
            _ = try await scenario.release("2.0.0", tags: ["2.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let previous = try await Skopeo.digest(scenario.references("latest")[0])
            let release = try await scenario.release("2.0.1", tags: ["2.0.1", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let environment = FlowEnvironment(state: scenario.state, client: scenario.client)
            let declined = try await RollbackFlow.with(release.id, in: environment) { try await $0.run(ScriptedInteraction { _ in .declined }) }
            #expect(declined.journal == nil && !declined.succeeded)
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) != previous)
            let interaction = ScriptedInteraction()
            let rolledBack = try await RollbackFlow.with(release.id, in: environment) { try await $0.run(interaction) }
            #expect(rolledBack.succeeded && rolledBack.journal?.phase == .verified)
            #expect(interaction.requests.first?.purpose == .rollback)
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == previous)
            let again = try await RollbackFlow.with(release.id, in: environment) { try await $0.run(interaction) }
            #expect(again.succeeded && again.journal == nil)
            #expect(again.refusal?.reason.contains("nothing to roll back") == true)
            #expect(interaction.refusals.map(\.reason) == [try #require(again.refusal).reason])
        }
    }

    @Test("a release that only created tags is refused before anything is read, with the reason the console shows")
    func onlyCreatedTagsIsRefused() async throws {
        try await withPublishScenario { scenario in
            let first = try await scenario.release("2.0.0", tags: ["2.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let refusal = await #expect(throws: FlowError.self) {
                try await RollbackFlow.with(first.id, in: FlowEnvironment(state: scenario.state, client: scenario.client)) { _ in }
            }
            #expect(refusal?.reason == .notRollbackable)
            #expect(refusal?.message == RollbackFlow.refusal(of: first))
            #expect(refusal?.message.contains("only created tags") == true)
        }
    }

    @Test func rollbackRestoresThePreviousDigestsExactlyAndListsCreatedTags() async throws {
        try await withPublishScenario { scenario in
            _ = try await scenario.release("3.14.0", tags: ["3.14.0", "3.14", "latest"], sources: try scenario.pushPlatforms(["linux/amd64", "linux/arm64"]))
            let previous = try await Skopeo.digests(scenario.references("latest"))
            let release = try await scenario.release("3.14.1", tags: ["3.14.1", "3.14", "latest"], sources: try scenario.pushPlatforms(["linux/amd64", "linux/arm64"]))
            #expect(release.phase == .verified)
            let released = try await Skopeo.digest(scenario.references("3.14.1")[0])
            #expect(!previous.contains(released))

            let plan = try await RollbackPlanner(client: scenario.client).plan(release)
            #expect(plan.hasChanges)
            #expect(Set(plan.created.map(\.tag)) == ["3.14.1"])
            #expect(plan.created.count == 2)
            for (i, registry) in scenario.registries.map(\.host).enumerated() {
                let rows = plan.pending.rows(for: registry)
                #expect(rows.map(\.tag).sorted() == ["3.14", "latest"])
                #expect(rows.allSatisfy { $0.change == .move && $0.current?.digest == released && $0.new.digest == previous[i] })
            }

            let rollback = try await Rollback(client: scenario.client, store: scenario.store).run(Confirmation(confirming: plan.pending), of: release)
            #expect(rollback.phase == .verified)
            #expect(rollback.kind == .rollback)
            #expect(rollback.rollbackOf == release.id)
            #expect(rollback.publications.allSatisfy { $0.state == .verified && $0.verification.count == 2 })
            for (i, _) in scenario.registries.enumerated() {
                for tag in ["3.14", "latest"] {
                    #expect(try await Skopeo.digest(scenario.references(tag)[i]) == previous[i])
                }
                // Created tags are kept where the release put them.
                #expect(try await Skopeo.digest(scenario.references("3.14.1")[i]) == released)
            }
            let stored = try scenario.store.load(rollback.id)
            #expect(stored.kind == .rollback && stored.rollbackOf == release.id && stored.phase == .verified)
            #expect(stored.confirmed == plan.pending)

            // Rolled back already: nothing left to move.
            let again = try await RollbackPlanner(client: scenario.client).plan(release)
            #expect(!again.hasChanges)
            #expect(again.pending.rows.allSatisfy { $0.change == .unchanged })
        }
    }

    @Test func aTagMovedSinceTheReleaseIsHeldAndATagMovedAfterConfirmationStopsThatRegistry() async throws {
        try await withPublishScenario { scenario in
            let oldest = try await scenario.release("1.0.0", tags: ["1.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let release = try await scenario.release("1.0.1", tags: ["1.0.1", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let newer = try await scenario.release("1.0.2", tags: ["1.0.2", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let newest = try #require(newer.publications.first?.indexDigest)

            // `latest` now belongs to 1.0.2: rolling 1.0.1 back must not touch it.
            let plan = try await RollbackPlanner(client: scenario.client).plan(release)
            #expect(!plan.hasChanges)
            let latest = plan.pending.rows.filter { $0.tag == "latest" }
            #expect(latest.count == 2)
            #expect(latest.allSatisfy { $0.change == .held && $0.warnings.map(\.kind) == [.drift] })

            // Roll back 1.0.2, but someone moves `latest` in the first registry after the preview.
            let newerPlan = try await RollbackPlanner(client: scenario.client).plan(newer)
            let first = scenario.repositories[0]
            // 1.0.0's index, not 1.0.1's: 1.0.1's is where the rollback itself moves `latest`, and a
            // tag already at its target is (rightly) not a move.
            let intruder = try await scenario.client.manifest(first.with(digest: try #require(oldest.publications.first?.indexDigest)))
            _ = try await scenario.client.putManifest(first, reference: "latest", mediaType: intruder.mediaType, bytes: intruder.bytes)
            let rollback = try await Rollback(client: scenario.client, store: scenario.store).run(Confirmation(confirming: newerPlan.pending), of: newer)
            #expect(rollback.phase == .failed)
            #expect(rollback[registry: first.registry]?.state == .failed)
            #expect(rollback[registry: first.registry]?.error?.message.contains("was not touched") == true)
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == intruder.digest)
            #expect(rollback[registry: scenario.registries[1].host]?.state == .verified)
            #expect(try await Skopeo.digest(scenario.references("latest")[1]) != newest)
            #expect(try await Skopeo.digest(scenario.references("latest")[1]) == (try await Skopeo.digest(scenario.references("1.0.1")[1])))
        }
    }
}
