import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// The release flow, in-process, for every transition: real registries, the buildx
/// stand-in (real pushes), skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ReleaseFlowTests {
    let amd64 = try! Platform.parse("linux/amd64")
    let arm64 = try! Platform.parse("linux/arm64")

    @Test("--allow-partial publishes without the failed platform; the settings are journaled")
    func allowPartial() async throws {
        try await withFlowFixture { fixture in
            let interaction = ScriptedInteraction()
            let outcome = try await ReleaseFlow.with(
                try fixture.release("1.0.0", FlowOptions(allowPartial: [arm64])),
                in: fixture.environment(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"])
            ) { try await $0.run(interaction) }
            #expect(outcome.stage == .verified && outcome.succeeded)
            #expect(interaction.refusals.isEmpty)
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64"])
            let settings = try #require(outcome.journal.settings)
            #expect(settings.allowPartial == [arm64] && settings.builder == .buildx && settings.publisher == .native)
            #expect(settings.configPath == URL(fileURLWithPath: fixture.project.configPath).standardizedFileURL.path)
            #expect(settings.configDigest.hasPrefix("sha256:") && settings.gantryVersion == GantryVersion.current)
        }
    }

    @Test("a failed platform blocks publishing with its reason; the other actions say why they are refused")
    func failedPlatformBlocks() async throws {
        try await withFlowFixture { fixture in
            let interaction = ScriptedInteraction()
            try await ReleaseFlow.with(try fixture.release(), in: fixture.environment(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"])) { flow in
                let outcome = try await flow.run(interaction)
                #expect(outcome.stage == .built && !outcome.succeeded)
                #expect(outcome.journal.phase == .failed)
                #expect(outcome.next == "gantry resume \(flow.id)")
                let refusal = try #require(outcome.refusal)
                #expect(refusal.reason.contains("linux/arm64 (failed") && refusal.reason.contains("--allow-partial linux/arm64"))
                #expect(interaction.refusals == [refusal])
                #expect(interaction.requests.isEmpty, "no pending tag set was offered")
                #expect(await flow.refusal(for: .publish) == refusal)
                #expect(await flow.refusal(for: .retry(amd64))?.reason.contains("only a failed or cancelled platform") == true)
                #expect(await flow.refusal(for: .retry(arm64)) == nil)
                #expect(await flow.refusal(for: .cancel(arm64))?.reason.contains("is not building") == true)
            }
            #expect(try await RegistryProbe.tags(host: fixture.registries[0].host, repository: "gantry/demo") == [])
        }
    }

    @Test("publishing without a failed platform, chosen after the builds: journaled in the settings, then published")
    func publishWithoutAfterTheBuilds() async throws {
        try await withFlowFixture { fixture in
            try await ReleaseFlow.with(try fixture.release(), in: fixture.environment(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"])) { flow in
                let interaction = ScriptedInteraction(blocked: [.publishWithout([arm64])])
                let outcome = try await flow.run(interaction)
                #expect(outcome.stage == .verified)
                #expect(outcome.journal.settings?.allowPartial == [arm64])
                #expect(outcome.journal.history.contains { $0.message == "publishing without linux/arm64, as the user chose" })
                #expect(await flow.refusal(for: .publishWithout([amd64]))?.reason.contains("only once the builds are over") == true)
            }
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64"])
        }
    }

    @Test("a failed platform is retried, then the release publishes")
    func retryThenPublish() async throws {
        try await withFlowFixture(platforms: ["linux/amd64"]) { fixture in
            let marker = fixture.project.directory.url.appendingPathComponent("failed-once").path
            let interaction = ScriptedInteraction(blocked: [.retry([amd64])])
            let events = EventLog()
            let outcome = try await ReleaseFlow.with(
                try fixture.release(), in: fixture.environment(["GANTRY_STUB_FAIL_ONCE": marker]), events: events.record
            ) { try await $0.run(interaction) }
            #expect(outcome.stage == .verified)
            #expect(interaction.refusals.count == 1)
            #expect(events.builds("failed") == [amd64] && events.builds("finished") == [amd64])
            let attempts = events.all.compactMap { event -> Int? in
                if case .build(let e) = event, case .started(_, let attempt) = e.kind { attempt } else { nil }
            }
            #expect(attempts == [1, 2])
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64"])
        }
    }

    @Test("cancelling one running platform stops it; the other finishes; publishing is refused with the reason")
    func cancelOnePlatform() async throws {
        try await withFlowFixture { fixture in
            let events = EventLog()
            try await ReleaseFlow.with(
                try fixture.release(), in: fixture.environment(["GANTRY_STUB_HANG": "linux/arm64"]), events: events.record
            ) { flow in
                let run = Task { try await flow.run(ScriptedInteraction()) }
                try await poll("arm64 running (cancellable) while amd64 finished") {
                    await flow.refusal(for: .cancel(arm64)) == nil && events.builds("finished").contains(amd64)
                }
                try await flow.cancel(arm64)
                let outcome = try await run.value
                #expect(outcome.journal[platform: arm64]?.state == .cancelled)
                #expect(outcome.journal[platform: amd64]?.state == .built)
                #expect(outcome.refusal?.reason.contains("linux/arm64 (cancelled)") == true)
            }
        }
    }

    @Test("declining publishes nothing and ends the release; its digests can still be published")
    func declineThenPublish() async throws {
        try await withFlowFixture { fixture in
            let declined = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { flow in
                let outcome = try await flow.run(ScriptedInteraction { _ in .declined })
                #expect(await flow.refusal(for: .publish)?.reason.contains("declined") == true)
                return outcome
            }
            #expect(declined.stage == .declined && declined.journal.phase == .cancelled && declined.next == nil)
            #expect(declined.journal.unconfirmed == .declined, "the journal says the user said no")
            #expect(try await RegistryProbe.tags(host: fixture.registries[0].host, repository: "gantry/demo") == [])
            let built = try JournalSources.of(declined.journal.id, in: fixture.state)
            #expect(built.sources.count == 2)
            let published = try await ReleaseFlow.with(
                .publish(try fixture.config(), try #require(built.version), sources: built.sources, FlowOptions()), in: fixture.environment()
            ) { try await $0.run(ScriptedInteraction()) }
            #expect(published.stage == .verified && published.journal.kind == .publish)
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a release left at its pending tags is journaled so, not offered without an id, and resumes by id, reusing every platform")
    func resumeAfterLeaving() async throws {
        try await withFlowFixture { fixture in
            let left = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) {
                try await $0.run(ScriptedInteraction { _ in .left })
            }
            #expect(left.stage == .built && left.journal.phase == .built && !left.journal.isFinished)
            #expect(left.journal.unconfirmed == .left)
            let none = await #expect(throws: FlowError.self) {
                try await ReleaseFlow.with(.resume(nil, config: nil), in: fixture.environment()) { _ in }
            }
            #expect(none?.reason == .nothingToResume, "quit before confirming: resumable by id only")
            #expect(none?.message.contains("\(left.journal.id) (quit before confirming)") == true, "\(String(describing: none?.message))")
            // A journal write a crash cut short leaves its temporary file; the resume cleans it.
            let stale = fixture.state.release(left.journal.id).url.appendingPathComponent(".journal.json.4242.7.tmp")
            try Data("{\"format\": \"gantry.rel".utf8).write(to: stale)
            let events = EventLog()
            let resumed = try await ReleaseFlow.with(.resume(left.journal.id, config: nil), in: fixture.environment(), events: events.record) { flow in
                return try await flow.run(ScriptedInteraction())
            }
            #expect(resumed.stage == .verified && resumed.journal.unconfirmed == nil)
            #expect(Set(events.builds("reused")) == [amd64, arm64] && events.builds("started").isEmpty)
            #expect(resumed.journal.platforms.allSatisfy { $0.state == .reused })
            #expect(!FileManager.default.fileExists(atPath: stale.path))
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a resume after a failed build rebuilds only the failed platform, with the recorded settings")
    func resumeAfterFailure() async throws {
        try await withFlowFixture { fixture in
            let failed = try await ReleaseFlow.with(
                try fixture.release(), in: fixture.environment(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"])
            ) { try await $0.run(ScriptedInteraction()) }
            #expect(failed.journal.phase == .failed)
            let events = EventLog()
            let resumed = try await ReleaseFlow.with(.resume(failed.journal.id, config: nil), in: fixture.environment(), events: events.record) { flow in
                #expect(flow.settings == failed.journal.settings)
                return try await flow.run(ScriptedInteraction())
            }
            #expect(resumed.stage == .verified)
            #expect(events.builds("reused") == [amd64] && events.builds("finished") == [arm64])
        }
    }

    @Test("a resume reports the registry an earlier run verified as it stands, before publishing the one that failed")
    func resumeReportsVerifiedRegistries() async throws {
        try await withFlowFixture { fixture in
            let config = try fixture.config()
            let (verified, busy) = (config.registries[0], config.registries[1])
            // Another process holds the second registry's publish lock: the release verifies the first only.
            guard case .acquired(let lock) = try FileLock.acquire(at: fixture.state.publishLock(for: busy.repository(for: config.image)), purpose: "a test") else {
                Issue.record("the publish lock was held already")
                return
            }
            let first = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            lock.release()
            #expect(first.journal[registry: verified.host]?.state == .verified && first.journal[registry: busy.host]?.state == .failed)
            let events = EventLog()
            let resumed = try await ReleaseFlow.with(.resume(first.journal.id, config: nil), in: fixture.environment(), events: events.record) {
                try await $0.run(ScriptedInteraction())
            }
            #expect(resumed.stage == .verified)
            let publications = events.all.compactMap { if case .registry(let p) = $0 { p } else { nil } }
            #expect(publications.first?.registry == verified.host && publications.first?.state == .verified, "\(publications.map { "\($0.registry) \($0.state)" })")
            #expect(!publications.contains { $0.registry == verified.host && $0.state != .verified }, "the verified registry is not published again")
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("a resume refuses a config changed since the release started, and a config other than its own")
    func resumeRefusesAnotherConfig() async throws {
        try await withFlowFixture(platforms: ["linux/amd64"]) { fixture in
            let left = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) {
                try await $0.run(ScriptedInteraction { _ in .left })
            }
            let other = try fixture.project.directory.write("other.yaml", "image: x/y\n")
            let wrongFile = await #expect(throws: FlowError.self) {
                try await ReleaseFlow.with(.resume(left.journal.id, config: other), in: fixture.environment()) { _ in }
            }
            #expect(wrongFile?.reason == .configChanged)
            let original = try String(contentsOfFile: fixture.project.configPath, encoding: .utf8)
            try (original + "parallel: 1\n").write(toFile: fixture.project.configPath, atomically: true, encoding: .utf8)
            let changed = await #expect(throws: FlowError.self) {
                try await ReleaseFlow.with(.resume(left.journal.id, config: nil), in: fixture.environment()) { _ in }
            }
            #expect(changed?.reason == .configChanged)
            #expect(changed?.message.contains("changed since") == true)
            // Restored, it resumes.
            try original.write(toFile: fixture.project.configPath, atomically: true, encoding: .utf8)
            let resumed = try await ReleaseFlow.with(.resume(left.journal.id, config: fixture.project.configPath), in: fixture.environment()) {
                try await $0.run(ScriptedInteraction())
            }
            #expect(resumed.stage == .verified)
        }
    }

    @Test("a running release refuses a second resume, a publish of its digests and a rollback; the list shows it running")
    func lockHeld() async throws {
        try await withFlowFixture(platforms: ["linux/amd64"]) { fixture in
            try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { flow in
                let resume = await #expect(throws: FlowError.self) {
                    try await ReleaseFlow.with(.resume(flow.id, config: nil), in: fixture.environment()) { _ in }
                }
                #expect(resume?.reason == .running)
                #expect(resume?.message.contains("release \(flow.id) is running (pid \(getpid()) since") == true)
                #expect((#expect(throws: FlowError.self) { try JournalSources.of(flow.id, in: fixture.state) })?.reason == .running)
                #expect((#expect(throws: FlowError.self) { try Rollback.lock(flow.id, in: fixture.state) })?.reason == .running)
                let listing = try #require(fixture.store.list().first { $0.folder.id == flow.id })
                #expect(listing.runner?.pid == getpid() && listing.status == "running (pid \(getpid()))")
                // Nothing else is running: a resume without an id finds nothing to take over.
                let none = await #expect(throws: FlowError.self) {
                    try await ReleaseFlow.with(.resume(nil, config: nil), in: fixture.environment()) { _ in }
                }
                #expect(none?.reason == .nothingToResume && none?.message.contains("running: \(flow.id)") == true)
            }
            let listing = try #require(fixture.store.list().first)
            #expect(listing.runner == nil && listing.status == "interrupted (building)")
        }
    }

    @Test("each platform's result is on disk before it is reported")
    func journaledBeforeReported() async throws {
        try await withFlowFixture { fixture in
            let store = fixture.store
            let ids = Mutex<[ReleaseID]>([])
            let late = Mutex<[String]>([])
            let outcome = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment(), events: { event in
                guard case .build(let build) = event, build.isTerminal, let id = ids.withLock({ $0.first }) else { return }
                let onDisk = (try? store.load(id))?[platform: build.platform]?.state
                if onDisk != .built { late.withLock { $0.append("\(build.platform) \(build.name) reported while the journal said \(String(describing: onDisk))") } }
            }) { flow in
                ids.withLock { $0.append(flow.id) }
                return try await flow.run(ScriptedInteraction())
            }
            #expect(outcome.stage == .verified)
            #expect(late.withLock { $0 } == [])
        }
    }

    @Test("publishes started in the same second get ids of their own; one repository is published by one of them at a time")
    func sameSecondPublishes() async throws {
        try await withFlowFixture { fixture in
            let built = try await ReleaseFlow.with(.build(try fixture.config(), try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil), in: fixture.environment()) {
                try await $0.run(ScriptedInteraction())
            }
            let sources = try JournalSources.of(built.journal.id, in: fixture.state).sources
            let instant = Date()
            var sameSecond = fixture.environment()
            sameSecond.now = { instant }
            let environment = sameSecond
            let request = FlowRequest.publish(try fixture.config(), try SemanticVersion.parse("1.0.0"), sources: sources, FlowOptions())
            let outcomes = try await withThrowingTaskGroup(of: FlowOutcome.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await ReleaseFlow.with(request, in: environment) { try await $0.run(ScriptedInteraction()) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ids = outcomes.map(\.journal.id.rawValue)
            #expect(Set(ids).count == 4)
            #expect(Set(ids.map { $0.replacing(/-\d$/, with: "") }).count == 1, "one second, one base id: \(ids)")
            for outcome in outcomes {
                #expect(try fixture.store.load(outcome.journal.id).id == outcome.journal.id)
                for publication in outcome.journal.publications where publication.state == .failed {
                    #expect(["flow.repositoryBusy", "publish.tagMoved"].contains(publication.error?.kind), "\(String(describing: publication.error))")
                }
            }
            // Each registry is published and verified by one of them; which one wins which
            // registry's lock is a race (one may win the first registry, another the second).
            for registry in fixture.registries.map(\.host) {
                #expect(outcomes.contains { $0.journal[registry: registry]?.state == .verified }, "\(registry)")
            }
            try await expectWhole(fixture, tags: fixture.tags, platforms: ["linux/amd64", "linux/arm64"])
        }
    }
}
