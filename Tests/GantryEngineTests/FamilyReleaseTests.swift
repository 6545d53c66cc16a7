import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// Asks the question and waits for an answer that never comes, until the task is cancelled.
final class UnansweredQuestion: ReleaseInteraction, Sendable {
    private let askedFlag = Mutex(false)
    var asked: Bool { askedFlag.withLock { $0 } }

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        askedFlag.withLock { $0 = true }
        // An iteration that ends only when the task is cancelled, as the terminal prompt does.
        let (never, open) = AsyncStream<Void>.makeStream()
        for await _ in never {}
        open.finish()
        return .declined
    }
}

/// A family (app, app:slim, worker) released as one to two real registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10)))
struct FamilyReleaseTests {
    @Test func oneConfirmationPublishesEveryImageWithIndexesBeforeTags() async throws {
        try await withFamilyFixture { fixture in
            // Once confirmed, the worker's index push is slow in each registry: without staging,
            // the app's tags would move while the worker's index is still on its way.
            let proxies = fixture.proxies
            let interaction = ScriptedInteraction { request in
                for proxy in proxies {
                    proxy.arm([FaultInjectingProxy.Rule(method: "PUT", pathContains: "/acme/worker/manifests/sha256:", fault: .stall(.milliseconds(1500)))])
                }
                return .confirmed(.assumed(request.pending))
            }
            let outcome = try await fixture.release("1.2.3", interaction: interaction)
            #expect(outcome.succeeded, "\(outcome.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" })")

            // One question covered every image × registry × tag.
            #expect(interaction.requests.count == 1)
            let rows = try #require(interaction.requests.first).pending.rows
            #expect(rows.count == 3 * 2 * 4)
            #expect(Set(rows.compactMap(\.member)) == ["acme/app", "acme/app:slim", "acme/worker"])

            let version = try SemanticVersion.parse("1.2.3")
            for reference in fixture.references(version) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
            let host = fixture.proxies[0].host
            let app = try await Skopeo.digest("\(host)/acme/app:latest")
            #expect(try await Skopeo.digest("\(host)/acme/app:1.2.3") == app)
            #expect(try await Skopeo.digest("\(host)/acme/app:slim") != app, "the slim variant is its own image")
            #expect(try await Skopeo.digest("\(host)/acme/app:1.2.3-slim") == Skopeo.digest("\(host)/acme/app:slim"))
            for proxy in fixture.proxies { expectIndexesBeforeTags(proxy) }

            // The audit of the release reads every image's tags side by side, each against its own platforms.
            let audit = await Auditor(client: fixture.client).audit(config: try fixture.config(), version: version)
            #expect(audit.results.count == 24)
            #expect(Set(audit.results.map(\.repository)) == ["acme/app", "acme/worker"])
            #expect(audit.findings.isEmpty, "\(audit.findings.map(\.message))")
            let unreleased = await Auditor(client: fixture.client).audit(config: try fixture.config(), version: try SemanticVersion.parse("9.9.9"))
            #expect(unreleased.results.contains { $0.repository == "acme/worker" && $0.tag == "9.9.9" && $0.findings.contains { $0.kind == .tagMissing } })

            // One family id links the three journals.
            let journals = try FamilyJournals.members(of: outcome.id, in: fixture.store)
            #expect(journals.count == 3)
            #expect(journals.allSatisfy { $0.phase == .verified && $0.family?.id == outcome.id })
        }
    }

    @Test func aFailedBuildOfOneImageMovesNoTagAndResumesToWhole() async throws {
        try await withFamilyFixture { fixture in
            #expect(try await fixture.release("1.2.3").succeeded)
            let old = try fixture.references(SemanticVersion.parse("1.2.3")).filter { !$0.contains(":1.2.3") }
            let before = await fixture.digests(old)

            let failOnce = fixture.directory.url.appendingPathComponent("failed-once").path
            let stub = ["GANTRY_STUB_FAIL_ONCE": failOnce, "GANTRY_STUB_FAIL_ONLY": "acme/worker"]
            let interaction = ScriptedInteraction()
            let failed = try await fixture.release("1.3.0", stub: stub, interaction: interaction)
            #expect(!failed.succeeded)
            #expect(interaction.requests.isEmpty, "nothing is asked while an image cannot be published")
            #expect(failed.next == "gantry resume \(failed.id)")
            #expect(await fixture.digests(old) == before, "moving tags (1.2, 1, latest, slim) still point at 1.2.3")

            for reference in try fixture.references(SemanticVersion.parse("1.3.0")) where reference.contains(":1.3.0") {
                #expect(await fixture.isMissing(reference), "\(reference) was not published")
            }

            let resumed = try await FamilyRelease.run(.resume(failed.id), in: fixture.environment(stub), interaction: ScriptedInteraction())
            #expect(resumed.succeeded, "\(resumed.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" })")
            for reference in try fixture.references(SemanticVersion.parse("1.3.0")) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
        }
    }

    /// A tag write of the worker refused in one registry after confirmation: the audit's
    /// repair is the family's resume (a member never resumes alone), and it runs as the family.
    @Test func aFailedTagWriteIsRepairedByResumingTheFamily() async throws {
        try await withFamilyFixture { fixture in
            let proxy = fixture.proxies[1]
            proxy.arm([FaultInjectingProxy.Rule(method: "PUT", pathContains: "/acme/worker/manifests/1.3.0", fault: .status(500), times: 100)])
            let failed = try await fixture.release("1.3.0")
            #expect(!failed.succeeded)

            let config = try fixture.config()
            let report = await Auditor(client: fixture.client).audit(config: config, version: try SemanticVersion.parse("1.3.0"))
            let advice = await RepairAdvisor(client: fixture.client).advice(for: report, state: fixture.state, config: config)
            #expect(advice.repairs.map(\.operation) == [.resume(failed.id)], "\(advice.repairs.map(\.operation.command)) \(advice.unrepaired)")
            guard case .family(let request)? = try advice.repairs.first?.operation.flow(config: config, state: fixture.state) else {
                Issue.record("the repair does not run as the family")
                return
            }
            proxy.arm([])
            let repaired = try await FamilyRelease.run(request, in: fixture.environment(), interaction: ScriptedInteraction())
            #expect(repaired.succeeded)
            #expect(try await skopeoPlatforms("\(proxy.host)/acme/worker:1.3.0") == ["linux/amd64", "linux/arm64"])
        }
    }

    @Test func aFailedIndexPushMovesNoTag() async throws {
        try await withFamilyFixture { fixture in
            #expect(try await fixture.release("1.2.3").succeeded)
            let everything = try fixture.references(SemanticVersion.parse("1.2.3")) + fixture.references(SemanticVersion.parse("1.3.0"))
            let before = await fixture.digests(everything)
            // Once the builds are done and the set confirmed, the worker's index push fails in the second registry.
            let proxy = fixture.proxies[1]
            let interaction = ScriptedInteraction { request in
                proxy.arm([FaultInjectingProxy.Rule(method: "PUT", pathContains: "/acme/worker/manifests/sha256:", fault: .status(500), times: 100)])
                return .confirmed(.assumed(request.pending))
            }
            let failed = try await fixture.release("1.3.0", interaction: interaction)
            #expect(!failed.succeeded)
            #expect(await fixture.digests(everything) == before, "no tag of any image moved in any registry")
            #expect(proxy.log.contains { $0.faulted }, "the index push was refused")

            proxy.arm([])
            let resumed = try await FamilyRelease.run(.resume(failed.id), in: fixture.environment(), interaction: ScriptedInteraction())
            #expect(resumed.succeeded)
            for reference in try fixture.references(SemanticVersion.parse("1.3.0")) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
            expectIndexesBeforeTags(proxy)
        }
    }

    @Test func allowPartialExcusesOnePlatformOfOneImage() async throws {
        try await withFamilyFixture { fixture in
            let stub = ["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64", "GANTRY_STUB_FAIL_ONLY": "acme/worker"]
            let arm = try Platform.parse("linux/arm64")
            let outcome = try await fixture.release("1.2.3", stub: stub, options: FamilyOptions(allowPartial: ["acme/worker": [arm]]))
            #expect(outcome.succeeded, "\(outcome.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" })")
            let host = fixture.proxies[0].host
            #expect(try await skopeoPlatforms("\(host)/acme/worker:1.2.3") == ["linux/amd64"], "the worker without arm64, as allowed")
            #expect(try await skopeoPlatforms("\(host)/acme/app:1.2.3") == ["linux/amd64", "linux/arm64"], "the app whole")

            // Naming a platform the image does not build, or an image the family lacks, is refused before anything runs.
            let s390x = try Platform.parse("linux/s390x")
            await #expect(throws: FamilyError.self) { try await fixture.release("1.2.4", options: FamilyOptions(allowPartial: ["acme/worker": [s390x]])) }
            await #expect(throws: FamilyError.self) { try await fixture.release("1.2.4", options: FamilyOptions(allowPartial: ["acme/wrker": [arm]])) }
        }
    }

    @Test func cancellingAtTheFamilysQuestionEndsTheRelease() async throws {
        try await withFamilyFixture { fixture in
            let interaction = UnansweredQuestion()
            let done = Mutex<FamilyOutcome?>(nil)
            let run = Task {
                let outcome = try await fixture.release("1.2.3", interaction: interaction)
                done.withLock { $0 = outcome }
            }
            try await poll("the family's question", until: { interaction.asked })
            run.cancel()  // Ctrl-C at the question
            try await poll("the release to end once cancelled", deadline: Patience.exit, until: { done.withLock { $0 != nil } })
            #expect(done.withLock { $0?.succeeded } == false)
            for reference in try fixture.references(SemanticVersion.parse("1.2.3")) {
                #expect(await fixture.isMissing(reference), "\(reference) was not published")
            }
        }
    }

    @Test func onlyReleasesPartOfTheFamilyAndAMemberNeverResumesAlone() async throws {
        try await withFamilyFixture { fixture in
            let outcome = try await fixture.release("1.2.3", options: FamilyOptions(only: ["acme/worker"]))
            #expect(outcome.succeeded)
            #expect(outcome.members.map(\.name) == ["acme/worker"])
            let host = fixture.proxies[0].host
            #expect(try await skopeoPlatforms("\(host)/acme/worker:1.2.3") == ["linux/amd64", "linux/arm64"])
            #expect(await fixture.isMissing("\(host)/acme/app:1.2.3"))

            await #expect(throws: FamilyError.self) {
                try await fixture.release("1.2.4", options: FamilyOptions(only: ["acme/wroker"]))
            }
            // A member's journal resumed on its own is refused: only the family publishes it.
            let member = try #require(FamilyJournals.members(of: outcome.id, in: fixture.store).first)
            let refusal = await #expect(throws: FlowError.self) {
                try await ReleaseFlow.with(.resume(member.id, config: nil), in: fixture.environment()) { _ in }
            }
            #expect(refusal?.description.contains("gantry resume \(outcome.id)") == true)
        }
    }
}
