import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The repair an audit suggests, one per problem, chosen in order: point a tag at the digest
/// another registry holds whole (see `TagRepairTests`), resume a confirmed release that did
/// not finish, publish a finished one, publish another tag's digests, promote from another
/// registry. Each suggestion is then carried out and the audit comes back clean.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RepairAdvisorTests {
    @Test("after a release quit at its pending tags, latest broken in both registries is not repaired by resuming it (that would be a new release): latest goes back to the index the verified release published, in both registries with one command, and the quit release is named with why")
    func quitReleaseIsNotProposed() async throws {
        try await withFlowFixture { fixture in
            let released = try await ReleaseFlow.with(try fixture.release("1.0.0"), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            let interrupted = try await ReleaseFlow.with(try fixture.release("1.0.1"), in: fixture.environment()) {
                try await $0.run(ScriptedInteraction { _ in .left })
            }
            let amd64 = try #require(interrupted.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            for registry in fixture.registries {
                try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                       "docker://\(registry.host)/gantry/demo@\(amd64)", "docker://\(registry.host)/gantry/demo:latest"])
            }
            let (a, b) = (fixture.registries[0].host, fixture.registries[1].host)
            let published = try #require(released.journal[registry: a]?.indexDigest)
            let latest = try ImageReference.parse(fixture.references("latest")[0])
            let advice = try await advice(fixture, for: latest)
            let repair = RepairOperation.tag(try TagRequest(
                source: "\(a)/gantry/demo@\(published)", tags: ["latest"], to: [a, b], expected: [TagExpectation(tag: "latest", digest: amd64)]))
            #expect(advice.repairs.map(\.operation) == [repair], "\(advice)")
            #expect(advice.repairs.first?.references == fixture.references("latest"))
            let skipped = try #require(advice.skippedJournals.first { $0.id == interrupted.journal.id.rawValue })
            #expect(skipped.reason.hasPrefix("stopped before its tags were confirmed"), "\(skipped)")

            // The operation opens as the engine's flow (what the console runs on Enter).
            guard case .tag(let start) = try repair.flow(config: nil, state: fixture.state) else {
                Issue.record("a tag repair runs as a tag flow")
                return
            }
            let restored = try await TagFlow.with(start, in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(restored.stage == .verified)
            #expect(try await suggestions(fixture, for: latest).isEmpty)
            try await expectWhole(fixture, tags: ["latest"], platforms: ["linux/amd64", "linux/arm64"])
            for reference in fixture.references("latest") { #expect(try await Skopeo.digest(reference) == published, "\(reference)") }
        }
    }

    @Test("a release only another configured registry holds gets one repair: gantry promote, which repairs it")
    func wholeElsewherePointsToPromote() async throws {
        try await withFlowFixture { fixture in
            _ = try await fixture.releaseAlone(in: 1, platforms: ["linux/amd64", "linux/arm64"])
            let reference = try ImageReference.parse(fixture.references("1.0.0")[0])
            let advice = try await advice(fixture, for: reference)
            let a = fixture.registries[0].host, b = fixture.registries[1].host
            #expect(advice.suggestions.map(\.command) == ["gantry promote 1.0.0 --from \(b) --config \(fixture.project.configPath) --to \(a)"], "\(advice)")
            #expect(advice.repairs.first?.references == ["\(a)/gantry/demo:1.0.0"])
            // b's tag is whole: the advice says why it has no repair of its own.
            #expect(advice.unrepaired == ["\(b)/gantry/demo:1.0.0": "nothing to repair in \(b)/gantry/demo:1.0.0"], "\(advice.unrepaired)")

            let request = try #require(try advice.repairs.first?.operation.releaseRequest(config: try fixture.config(), state: fixture.state))
            let promoted = try await ReleaseFlow.with(request, in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(promoted.stage == .verified)
            #expect(try await suggestions(fixture, for: reference).isEmpty)
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a registry that does not answer whether a release's digests are still pushed gets no repair and says why, never read as not pushed")
    func anUnansweredDigestLookupIsNoAnswer() async throws {
        try await withFlowFixture(registries: 1) { fixture in
            let released = try await ReleaseFlow.with(try fixture.release("1.0.0"), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(released.stage == .verified)
            let registry = fixture.registries[0]
            let amd64 = try #require(released.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                   "docker://\(registry.host)/gantry/demo@\(amd64)", "docker://\(registry.host)/gantry/demo:latest"])
            // Only the advisor asks whether a digest is there (HEAD by digest); the audit reads tags and GETs by digest.
            let failing = FaultInjectingProxy.Rule(method: "HEAD", pathContains: "/manifests/sha256:", fault: .status(500), times: .max)
            try await withFaultInjectingProxy(in: registry, [failing]) { proxy in
                // The release as journaled, its registry reached through the proxy.
                let journals = try fixture.store.list().map { listing in
                    var listing = listing
                    listing.journal = listing.journal.map { var journal = $0; journal.registries = [RegistryTarget(host: proxy.host)]; return journal }
                    return listing
                }
                let latest = try ImageReference.parse("\(proxy.host)/gantry/demo:latest")
                let auditor = Auditor(client: fixture.client)
                let report = await auditor.audit(AuditScope(references: [latest], config: nil).targets)
                #expect(report.findings.contains { $0.kind == .notAnIndex }, "\(report.findings)")
                let advice = await RepairAdvisor(auditor: auditor).advice(for: report, journals: journals)
                #expect(advice.repairs.isEmpty, "\(advice.repairs)")
                let why = try #require(advice.unrepaired[latest.description])
                #expect(why.hasPrefix("could not look for a repair: "), "\(why)")
                #expect(why.contains("500"), "\(why)")
                #expect(proxy.log.contains { $0.faulted })
            }
        }
    }

    /// What `gantry audit REF` suggests with the fixture's config in place and its state folder.
    private func suggestions(_ fixture: FlowFixture, for reference: ImageReference) async throws -> [RepairSuggestion] {
        try await advice(fixture, for: reference).suggestions
    }

    /// The same as operations, with why the other references have none.
    private func advice(_ fixture: FlowFixture, for reference: ImageReference) async throws -> RepairAdvice {
        let config = try fixture.config()
        let auditor = Auditor(client: fixture.client)
        let report = await auditor.audit(AuditScope(references: [reference], config: config).targets)
        return await RepairAdvisor(auditor: auditor).advice(for: report, journals: try fixture.store.list(), config: config)
    }
}
