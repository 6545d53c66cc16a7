import Crypto
import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Release records on real registries: through the referrers API (a proxy gives
/// distribution 2.8 one) and the fallback tag schema, required records, and records and
/// signatures travelling with a copy.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ReleaseRecordTests {
    @Test("through the referrers API: records are indexed by the registry (no fallback tag), the history and a rollback read them")
    func throughTheReferrersAPI() async throws {
        try await withPublishScenario { direct in
            let proxies = try direct.registries.map { try ReferrersProxy(upstreamPort: $0.port) }
            defer { proxies.forEach { $0.stop() } }
            var scenario = direct
            scenario.hosts = proxies.map(\.host)
            _ = try await scenario.release("1.0.0", tags: ["1.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let old = try await Skopeo.digest(scenario.references("latest")[0])
            let second = try await scenario.release("1.1.0", tags: ["1.1.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let new = try await Skopeo.digest(scenario.references("latest")[0])
            #expect(second.publications.allSatisfy { $0.record?.digest != nil && $0.record?.warning == nil })

            let latest = try ImageReference.parse(scenario.references("latest")[0])
            let timeline = try await TagHistory(client: scenario.client).timeline(of: latest)
            #expect(timeline.entries.map(\.digest) == [new, old])
            #expect(timeline.entries.map(\.previous) == [old, nil])
            #expect(timeline.entries.allSatisfy { $0.record?.source == .api && $0.record?.signature == nil })
            #expect(timeline.entries.first?.record?.record.release == second.id.rawValue)
            #expect(proxies[0].listingsServed > 0)
            // The registry indexed the subjects itself: no client-kept fallback index was written.
            let upstream = ImageReference(registry: direct.registries[0].host, repository: direct.image)
            #expect(try await scenario.client.tags(upstream).filter { $0.hasPrefix("sha256-") }.isEmpty)

            try await withTemporaryDirectory(prefix: "gantry-elsewhere") { elsewhere in
                let outcome = try await RegistryRollback.run(
                    latest, in: FlowEnvironment(state: StateDirectory(root: elsewhere.url), client: scenario.client), interaction: ScriptedInteraction())
                #expect(outcome.succeeded)
            }
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == old)
            #expect(try await Skopeo.digest(scenario.references("latest")[1]) == new, "only the registry named rolls back")
            let after = try await TagHistory(client: scenario.client).timeline(of: latest)
            #expect(after.entries.first?.record?.record.kind == .rollback)
            #expect(after.entries.map(\.digest) == [old, new, old])
        }
    }

    @Test("a required record that cannot be pushed fails the registry before any tag moves; not required, it is a warning")
    func requiredRecordFailsBeforeTheTags() async throws {
        try await withProxiedPublishScenario { scenario, proxies in
            _ = try await scenario.release("1.0.0", tags: ["1.0.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let before = try await Skopeo.digests(scenario.references("latest"))
            let sources = try await scenario.pushPlatforms(["linux/amd64"])
            // The platforms are in place: the only blobs a publish uploads now are its record's.
            proxies[0].arm([FaultInjectingProxy.Rule(method: "POST", pathContains: "/blobs/uploads/", fault: .status(500), times: 100)])
            let recorder = try scenario.start(version: "1.1.0", tags: ["1.1.0", "latest"], sources: sources)
            let pending = try await scenario.prepare(recorder)
            let required = try await PublishCoordinator(
                client: scenario.client, publisher: NativePublisher(client: scenario.client, attestations: .keep), recorder: recorder,
                records: RecordPolicy(required: true)
            ).publish(Confirmation(confirming: pending))
            let failed = try #require(required[registry: scenario.hosts[0]])
            #expect(failed.state == .failed)
            #expect(failed.error?.kind == "publish.record")
            #expect(failed.error?.message.contains("no tag was written") == true)
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == before[0], "no tag of the failed registry moved")
            #expect(required[registry: scenario.hosts[1]]?.state == .verified)

            let warned = try await scenario.release("1.2.0", tags: ["1.2.0", "latest"], sources: try scenario.pushPlatforms(["linux/amd64"]))
            let publication = try #require(warned[registry: scenario.hosts[0]])
            #expect(publication.state == .verified)
            #expect(publication.record?.digest == nil)
            #expect(publication.record?.warning?.contains("was not written") == true)
        }
    }

    @Test("a partial publication moved latest off a whole index; another machine's audit repairs it from the record (no journal), and the repair makes latest whole")
    func aRepairFromTheRecord() async throws {
        try await withPublishScenario { scenario in
            let whole = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            _ = try await scenario.release("1.0.0", tags: ["1.0.0", "latest"], sources: whole)
            let before = try await Skopeo.digest(scenario.references("latest")[0])
            // 1.1.0 without arm64 (--allow-partial): latest now lacks a platform.
            let amd64 = try #require(whole.first { $0.platform.description == "linux/amd64" })
            let expected = whole.map(\.platform)
            let recorder = try scenario.start(version: "1.1.0", tags: ["1.1.0", "latest"], sources: [amd64], expected: expected)
            let partial = try await scenario.publish(recorder, try await scenario.prepare(recorder, allowPartial: [try Platform.parse("linux/arm64")]))
            #expect(partial.phase == .verified)

            try await withTemporaryDirectory(prefix: "gantry-elsewhere") { elsewhere in
                let latest = try ImageReference.parse(scenario.references("latest")[0])
                let report = await Auditor(client: scenario.client).audit([AuditTarget(latest, AuditExpectation(platforms: expected))])
                #expect(report.results.first?.findings.contains { $0.kind == .missingPlatform } == true)
                let advice = await RepairAdvisor(client: scenario.client).advice(for: report, state: StateDirectory(root: elsewhere.url))
                let repair = try #require(advice.repairs.first, "\(advice.unrepaired)")
                guard case .tag(let request) = repair.operation else {
                    Issue.record("expected a tag repair, got \(repair.operation.command)")
                    return
                }
                #expect(request.source.contains(before), "\(repair.operation.command)")
                #expect(repair.reason.contains("release record"), "\(repair.reason)")
                let outcome = try await TagFlow.with(.tag(request), in: FlowEnvironment(state: StateDirectory(root: elsewhere.url), client: scenario.client)) {
                    try await $0.run(ScriptedInteraction())
                }
                #expect(outcome.stage == .verified)
            }
            #expect(try await Skopeo.digest(scenario.references("latest")[0]) == before, "latest is the whole 1.0.0 index again")
            #expect(try await skopeoPlatforms(scenario.references("latest")[0]) == ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a copy carries the record and the signatures with the index; the copy's history and signature read as the source's")
    func aCopyCarriesRecordsAndSignatures() async throws {
        try await withPublishScenario { scenario in
            let key = P256.Signing.PrivateKey()
            let signing = try SigningKey(pem: key.pemRepresentation, source: "test key")
            let verifying = try SignatureKey(pem: key.publicKey.pemRepresentation, source: "test key")
            let recorder = try scenario.start(version: "1.0.0", tags: ["1.0.0", "latest"], sources: try await scenario.pushPlatforms(["linux/amd64"]))
            let pending = try await scenario.prepare(recorder)
            let journal = try await PublishCoordinator(
                client: scenario.client, publisher: NativePublisher(client: scenario.client, attestations: .keep), recorder: recorder,
                records: RecordPolicy(key: signing)
            ).publish(Confirmation(confirming: pending))
            #expect(journal.publications.allSatisfy { $0.record?.signed == true })
            let source = try ImageReference.parse(scenario.references("latest")[0])
            let target = try ImageReference.parse("\(scenario.hosts[1])/acme/mirror:latest")
            let report = try await ImageCopier(client: scenario.client).copy(source, to: target)
            #expect(report.referrersCarried >= 3, "the record, the index's signature and the record's: \(report)")
            // The record travelled and its signature verifies there; it still says where it was made.
            let reader = RecordReader(client: scenario.client, key: verifying)
            let mirror = ImageReference(registry: target.registry, repository: target.repository)
            let carried = try #require(try await reader.records(about: report.digest, in: mirror).records.first)
            #expect(carried.record.version == "1.0.0" && carried.record.repository == "acme/app" && carried.source == .tagSchema)
            #expect(try await reader.signed(carried, in: mirror).signature == .verified)
            // It describes the source's tags, not the mirror's: the mirror's history does not claim its moves.
            let copied = try await TagHistory(client: scenario.client, key: verifying).timeline(of: target)
            #expect(copied.entries.count == 1 && copied.entries.first?.record == nil)
            try await withTemporaryDirectory(prefix: "gantry-key") { folder in
                let check = try await runToolToEnd(
                    GantryBinary.repositoryRoot().appendingPathComponent(".venv-tools/bin/python").path,
                    [GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bin/cosign-verify-key").path,
                     try folder.write("cosign.pub", key.publicKey.pemRepresentation), target.name, report.digest])
                #expect(check.status == 0, "the copied index's signature verifies apart from Gantry: \(check.stderr)")
            }
        }
    }
}
