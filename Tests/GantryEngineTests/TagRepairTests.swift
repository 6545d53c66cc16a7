import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Repairs restore, they do not re-release: a tag broken in one registry and whole in
/// another is pointed back at the healthy digest (`gantry tag`, guarded and journaled), and
/// journals the user rolled back, declined, quit or replaced are never proposed. skopeo is
/// the oracle of what the registries hold.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct TagRepairTests {
    @Test("latest a single amd64 manifest in B, whole in A: the repair is gantry tag A@digest latest --to B; it copies the index by digest, moves latest only, and B's other tags stay")
    func brokenInOneRegistryIsPointedAtTheHealthyDigest() async throws {
        try await withFlowFixture { fixture in
            let (a, b) = (fixture.registries[0].host, fixture.registries[1].host)
            _ = try await fixture.releaseAlone(in: 0, platforms: ["linux/amd64", "linux/arm64"])
            let whole = try await Skopeo.digest("\(a)/gantry/demo:latest")
            let amd64 = try #require(try await skopeoIndexEntries("\(a)/gantry/demo:latest").first { platformText($0) == "linux/amd64" }?["digest"] as? String)
            // A last-finishing single-platform push wrote latest in B (beside a tag of its own); B lacks the index.
            for tag in ["latest", "edge"] { try await copy("\(a)/gantry/demo@\(amd64)", to: "\(b)/gantry/demo:\(tag)") }

            let proposed = try await advice(fixture, for: "\(b)/gantry/demo:latest")
            let expected = try TagRequest(source: "\(a)/gantry/demo@\(whole)", tags: ["latest"], to: [b], expected: [TagExpectation(tag: "latest", digest: amd64)])
            #expect(proposed.repairs.map(\.operation) == [.tag(expected)], "\(proposed)")
            #expect(proposed.suggestions.map(\.command) == ["gantry tag \(a)/gantry/demo@\(whole) latest --to \(b) --expect latest=\(amd64)"])
            #expect(proposed.repairs.first?.references == ["\(b)/gantry/demo:latest"])

            let flow = try #require(try proposed.repairs.first?.operation.flow(config: try fixture.config(), state: fixture.state))
            guard case .tag(let start) = flow else {
                Issue.record("not a tag flow: \(flow)")
                return
            }
            let events = EventLog()
            let outcome = try await TagFlow.with(start, in: fixture.environment(), events: events.record) { try await $0.run(ScriptedInteraction()) }
            #expect(outcome.stage == .verified)
            #expect(outcome.journal.kind == .tag && outcome.journal.phase == .verified)
            #expect(outcome.journal.before == [ReleaseJournal.TagSnapshot(registry: b, tag: "latest", digest: amd64)])
            #expect(outcome.journal[registry: b]?.indexDigest == whole)
            let copied = events.all.compactMap { if case .copied(let report) = $0 { report } else { nil } }
            #expect(copied.map(\.digest) == [whole] && copied.first?.target.hasPrefix(b) == true, "\(copied)")

            #expect(try await Skopeo.digest("\(b)/gantry/demo:latest") == whole)
            #expect(try await skopeoPlatforms("\(b)/gantry/demo:latest") == ["linux/amd64", "linux/arm64"])
            #expect(try await Skopeo.digest("\(b)/gantry/demo:edge") == amd64, "a tag the repair does not name stays")
            #expect(try await tags(in: "\(b)/gantry/demo") == ["edge", "latest"], "copying by digest adds no tag")
            #expect(try await Skopeo.digest("\(a)/gantry/demo:latest") == whole)
            let after = try await advice(fixture, for: "\(b)/gantry/demo:latest")
            #expect(after.repairs.isEmpty, "\(after)")
        }
    }

    @Test("rolled back, declined, quit and superseded releases are never proposed, each with its reason; latest is pointed at the healthy registry's digest instead")
    func journalsThatAreNotRepairsAreNotProposed() async throws {
        try await withFlowFixture { fixture in
            let (a, b) = (fixture.registries[0].host, fixture.registries[1].host)
            let first = try await release(fixture, "1.0.0")
            // The same version released again, later (new bytes for a published version: the
            // rewrite has to be allowed): the first is superseded.
            var later = fixture.environment()
            later.now = { Date().addingTimeInterval(60) }
            let again = try await ReleaseFlow.with(try fixture.release("1.0.0", FlowOptions(allowVersionRewrite: true)), in: later) {
                try await $0.run(ScriptedInteraction())
            }
            #expect(again.stage == .verified)
            let rolledBack = try await release(fixture, "1.1.0")
            let rollback = try await RollbackFlow.with(rolledBack.journal.id, in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            let rollbackID = try #require(rollback.journal?.id)
            #expect(rollback.succeeded)
            let declined = try await release(fixture, "1.2.0") { _ in .declined }
            let quit = try await release(fixture, "1.5.0") { _ in .left }
            #expect(declined.journal.phase == .cancelled && quit.journal.phase == .built)

            // latest (1.0.0 again, after the rollback) overwritten by its amd64 manifest in B only.
            let healthy = try await Skopeo.digest("\(a)/gantry/demo:latest")
            let amd64 = try #require(again.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            try await copy("\(b)/gantry/demo@\(amd64)", to: "\(b)/gantry/demo:latest")

            let advice = try await advice(fixture, for: "\(b)/gantry/demo:latest")
            #expect(advice.suggestions.map(\.command) == ["gantry tag \(a)/gantry/demo@\(healthy) latest --to \(b) --expect latest=\(amd64)"], "\(advice)")
            let reasons = Dictionary(advice.skippedJournals.map { ($0.id, $0.reason) }, uniquingKeysWith: { $1 })
            let expected: [(ReleaseID, String)] = [
                (first.journal.id, "superseded by \(again.journal.id)"),
                (rolledBack.journal.id, "rolled back by \(rollbackID)"),
                (declined.journal.id, "cancelled (declined"),
                (quit.journal.id, "stopped before its tags were confirmed"),
                (rollbackID, "a rollback"),
            ]
            for (id, reason) in expected {
                #expect(reasons[id.rawValue]?.hasPrefix(reason) == true, "\(id): \(reasons[id.rawValue] ?? "no reason")")
            }
            #expect(reasons[again.journal.id.rawValue] == nil, "the verified release of 1.0.0 may be a repair")

            // The audit says the same, in its plain and JSON output.
            let plain = try await fixture.project.gantry(["audit", "\(b)/gantry/demo:latest"])
            #expect(plain.status == 1, "\(plain.stdout)\(plain.stderr)")
            for (id, reason) in expected {
                #expect(plain.stdout.contains("not proposed: \(id): \(reason)"), "\(id): \(plain.stdout)")
            }
            let json = try await fixture.project.gantry(["audit", "\(b)/gantry/demo:latest", "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let listed = (report["skippedJournals"] as? [[String: Any]] ?? []).compactMap { entry in
                (entry["id"] as? String).map { ($0, entry["reason"] as? String ?? "") }
            }
            #expect(Dictionary(listed, uniquingKeysWith: { $1 }) == reasons, "\(json.stdout)")
        }
    }

    @Test("gantry tag refuses a tag that moved since it was looked at (--expect) and one that moves after the confirmation; its confirmation names the platforms a tag loses; a tag journal left at the confirmation resumes (gantry resume ID), and rolls back")
    func guardedJournaledResumableRollbackable() async throws {
        try await withFlowFixture(registries: 1) { fixture in
            let host = fixture.registries[0].host
            let repository = "\(host)/gantry/demo"
            let old = try await release(fixture, "1.0.0")
            _ = try await release(fixture, "1.0.1")
            let d1 = try #require(old.journal[registry: host]?.indexDigest)
            let d2 = try await Skopeo.digest("\(repository):latest")
            #expect(d1 != d2)
            let journals = try fixture.store.list().count

            // Expected where it no longer is: refused before anything is copied or journaled.
            let elsewhere = "sha256:" + String(repeating: "0", count: 64)
            let stale = try TagRequest(source: "\(repository)@\(d1)", tags: ["latest"], expected: [TagExpectation(tag: "latest", digest: elsewhere)])
            await #expect(throws: TagError.self) {
                try await TagFlow.with(.tag(stale), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            }
            #expect(try fixture.store.list().count == journals)
            #expect(try await Skopeo.digest("\(repository):latest") == d2)

            // Pointing latest at one platform's manifest: the confirmation says what it loses; declined, nothing moves.
            let amd64 = try #require(old.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            let asked = ScriptedInteraction { _ in .declined }
            let declined = try await TagFlow.with(.tag(try TagRequest(source: "\(repository)@\(amd64)", tags: ["latest"])), in: fixture.environment()) {
                try await $0.run(asked)
            }
            #expect(declined.stage == .declined && declined.journal.phase == .cancelled)
            #expect(asked.requests.first?.purpose == .tag)
            #expect(asked.requests.first?.pending.rows.first?.warnings.map(\.kind) == [.lostPlatforms], "\(asked.requests)")
            #expect(try await Skopeo.digest("\(repository):latest") == d2)

            // Moved between the confirmation and the write: the guard leaves it where it moved to.
            let racing = try TagRequest(source: "\(repository)@\(d1)", tags: ["latest"])
            let moved = try await TagFlow.with(.tag(racing), in: fixture.environment()) {
                try await $0.run(MovingInteraction([(from: "\(repository)@\(amd64)", to: "\(repository):latest")]))
            }
            #expect(moved.stage == .failed && moved.journal.phase == .failed)
            #expect(moved.journal[registry: host]?.error?.kind == "publish.tagMoved", "\(String(describing: moved.journal[registry: host]))")
            #expect(try await Skopeo.digest("\(repository):latest") == amd64)
            try await copy("\(repository)@\(d2)", to: "\(repository):latest")

            // Left at the confirmation: resumable, as a tag flow.
            let request = try TagRequest(source: "\(repository)@\(d1)", tags: ["latest", "stable"], expected: [
                TagExpectation(tag: "latest", digest: d2), TagExpectation(tag: "stable", digest: nil),
            ])
            let left = try await TagFlow.with(.tag(request), in: fixture.environment()) { try await $0.run(ScriptedInteraction { _ in .left }) }
            #expect(left.stage == .built)
            let listing = try #require(try fixture.store.list().first { $0.folder.id == left.journal.id })
            #expect(Resumability.refusal(of: listing) == nil)
            guard case .tag(.resume(let id)) = try RepairOperation.resume(left.journal.id).flow(config: nil, state: fixture.state), id == left.journal.id else {
                Issue.record("a tag journal resumes as a tag flow")
                return
            }
            // `gantry resume ID` goes on with it (the CLI asks the same rule which flow resumes it).
            let cli = try await fixture.project.gantry(["resume", id.rawValue, "--yes", "--no-tui"])
            #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
            #expect(cli.stdout.contains("tag \(id): \(repository)@\(d1) as latest stable"), "\(cli.stdout)")
            let resumed = try fixture.store.load(id)
            #expect(resumed.phase == .verified)
            #expect(resumed.tagging == request)
            #expect(resumed.before == [
                ReleaseJournal.TagSnapshot(registry: host, tag: "latest", digest: d2), ReleaseJournal.TagSnapshot(registry: host, tag: "stable", digest: nil),
            ])
            #expect(resumed.confirmed?.rows.map(\.change) == [.move, .new])
            #expect(resumed[registry: host]?.state == .verified)
            for tag in ["latest", "stable"] { #expect(try await Skopeo.digest("\(repository):\(tag)") == d1, "\(tag)") }
            #expect(try await Skopeo.digest("\(repository):1.0.1") == d2, "a tag not named stays")
            #expect(Resumability.refusal(of: try #require(try fixture.store.list().first { $0.folder.id == left.journal.id })) != nil, "verified: nothing to resume")

            // Rolled back like a release: latest goes back, the tag it created stays.
            #expect(RollbackFlow.refusal(of: resumed) == nil)
            let rolled = try await RollbackFlow.with(left.journal.id, in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(rolled.succeeded)
            #expect(try await Skopeo.digest("\(repository):latest") == d2)
            #expect(try await Skopeo.digest("\(repository):stable") == d1)
        }
    }

    @Test("the advisor proposes resuming a confirmed release that failed exactly while gantry resume would resume it: once its config changed, both refuse with the same reason, and latest goes back to the verified release's index instead")
    func adviceAndResumeAgree() async throws {
        try await withFlowFixture { fixture in
            let (a, b) = (fixture.registries[0].host, fixture.registries[1].host)
            let first = try await release(fixture, "1.0.0")
            let published = try #require(first.journal[registry: a]?.indexDigest)
            let amd64 = try #require(first.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            // 1.0.1 is confirmed, then someone overwrites latest everywhere before it is written: it fails, resumable.
            let moves = fixture.registries.map { (from: "\($0.host)/gantry/demo@\(amd64)", to: "\($0.host)/gantry/demo:latest") }
            let failed = try await ReleaseFlow.with(try fixture.release("1.0.1"), in: fixture.environment()) { try await $0.run(MovingInteraction(moves)) }
            #expect(failed.stage == .failed && failed.journal.confirmed != nil)

            let latest = "\(a)/gantry/demo:latest"
            let resumable = try await advice(fixture, for: latest)
            #expect(resumable.repairs.map(\.operation) == [.resume(failed.journal.id)], "\(resumable)")
            #expect(!resumable.skippedJournals.contains { $0.id == failed.journal.id.rawValue })

            // The config changes: the resume would refuse, so the advisor does not propose it, and says the resume's reason.
            let text = try String(contentsOfFile: fixture.project.configPath, encoding: .utf8)
            try (text + "# edited after 1.0.1 started\n").write(toFile: fixture.project.configPath, atomically: true, encoding: .utf8)
            let listing = try #require(try fixture.store.list().first { $0.folder.id == failed.journal.id })
            let refusal = try #require(Resumability.refusal(of: listing))
            let changed = try await advice(fixture, for: latest)
            let skipped = try #require(changed.skippedJournals.first { $0.id == failed.journal.id.rawValue }, "\(changed)")
            #expect(skipped.reason == "cannot be resumed: \(refusal)")
            await #expect(throws: FlowError.self) {
                try await ReleaseFlow.with(.resume(failed.journal.id, config: nil), in: fixture.environment()) { _ in }
            }
            do { try await ReleaseFlow.with(.resume(failed.journal.id, config: nil), in: fixture.environment()) { _ in } } catch let error as FlowError {
                #expect(error.message == refusal)
            }
            let restore = try TagRequest(source: "\(a)/gantry/demo@\(published)", tags: ["latest"], to: [a, b], expected: [TagExpectation(tag: "latest", digest: amd64)])
            #expect(changed.repairs.map(\.operation) == [.tag(restore)], "\(changed)")
        }
    }

    /// Releases `version` of the fixture, answering the pending set with `answer`.
    private func release(
        _ fixture: FlowFixture, _ version: String,
        answer: @escaping @Sendable (ConfirmationRequest) -> ConfirmationAnswer = { .confirmed(.assumed($0.pending)) }
    ) async throws -> FlowOutcome {
        try await ReleaseFlow.with(try fixture.release(version), in: fixture.environment()) { try await $0.run(ScriptedInteraction(answer: answer)) }
    }

    /// What `gantry audit REF` proposes with the fixture's config and state folder.
    private func advice(_ fixture: FlowFixture, for text: String) async throws -> RepairAdvice {
        let config = try fixture.config()
        let auditor = Auditor(client: fixture.client)
        let report = await auditor.audit(AuditScope(references: [try ImageReference.parse(text)], config: config).targets)
        return await RepairAdvisor(auditor: auditor).advice(for: report, journals: try fixture.store.list(), config: config)
    }

    private func copy(_ source: String, to target: String) async throws {
        try await runTool("skopeo", ["copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(source)", "docker://\(target)"])
    }

    /// The tags of `repository`, sorted, as skopeo lists them.
    private func tags(in repository: String) async throws -> [String] {
        let listed = try await runTool("skopeo", ["list-tags", "--tls-verify=false", "docker://\(repository)"])
        let json = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any]
        // The release records' referrer indexes (`sha256-<hex>`) travel with a copy; they are not release tags.
        return (json?["Tags"] as? [String] ?? []).filter { !Referrers.isAttachmentTag($0) }.sorted()
    }
}

/// Moves tags (someone else publishing) while the user looks at the pending set, then confirms it.
private struct MovingInteraction: ReleaseInteraction {
    var moves: [(from: String, to: String)]

    init(_ moves: [(from: String, to: String)]) { self.moves = moves }

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        for move in moves {
            do {
                try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(move.from)", "docker://\(move.to)"])
            } catch {
                Issue.record("could not move \(move.to): \(error)")
            }
        }
        return .confirmed(.assumed(request.pending))
    }
}
