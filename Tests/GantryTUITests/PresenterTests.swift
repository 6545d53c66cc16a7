import Foundation
import GantryEngine
@testable import GantryTUI
import Testing

/// The presenters turn the engine's events, pending tag sets, journals and audits into the
/// console's view-models.
@Suite(.timeLimit(.minutes(1))) struct PresenterTests {
    static let amd64 = try! Platform.parse("linux/amd64")
    static let arm64 = try! Platform.parse("linux/arm64")
    static let armv7 = try! Platform.parse("linux/arm/v7")

    @Test("a build's events fill one matrix row: builder, steps, log, digest")
    func buildEvents() {
        let digest = Sample.digest("amd64")
        let events: [BuildEvent.Kind] = [
            .queued, .started(driver: "buildah", attempt: 2),
            .stepStarted(BuildStep(index: 1, total: 2, name: "COPY hello.txt /")), .stepFinished(BuildStep(index: 1, total: 2, name: "COPY hello.txt /")),
            .stepCached(BuildStep(index: 2, total: 2, name: "LABEL a=b")), .log("\u{1B}[31mred\u{1B}[0m line"),
            .pushed(repository: "127.0.0.1:5000/gantry/demo", digest: digest),
            .finished(BuildResult(platform: Self.amd64, manifestDigest: digest)),
        ]
        var state = ReleaseState()
        for kind in events {
            for event in BuildEventPresenter.events(for: BuildEvent(Self.amd64, kind)) { state.apply(event, now: 1) }
        }
        let row = state.release.rows[0]
        #expect(row.builder == "buildah (attempt 2)")
        #expect(row.state == .done && row.digest == digest)
        #expect(row.stepsDone == 2 && row.stepsTotal == 2)
        #expect(row.log.window(count: 100, fromEnd: 0).contains("red line"), "escape sequences are stripped before the screen")
        #expect(row.log.window(count: 100, fromEnd: 0).contains("CACHED 2/2 LABEL a=b"))
    }

    @Test("the matrix opens with what the journal holds: a resume's platforms with a digest reused, failed ones failed, the rest queued")
    func matrixFromTheJournal() throws {
        let config = try ReleaseConfigLoader.parse(yaml: "image: acme/app\nregistries: [ghcr.io]\nplatforms: [linux/amd64, linux/arm64, linux/arm/v7]\n", source: "gantry.yaml")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let model = ReleasePresenter.releaseViewModel(config: config, version: nil, builder: "buildah", platforms: [
            .init(platform: Self.amd64, state: .built, result: BuildResult(platform: Self.amd64, manifestDigest: digest)),
            .init(platform: Self.arm64, state: .failed, error: RecordedError(kind: "build.failed", message: "exit 1")),
            .init(platform: Self.armv7),
        ], kind: .release)
        #expect(model.rows.map(\.state) == [.cached, .failed, .queued])
        #expect(model.rows.map(\.builder) == ["buildah", "buildah", "buildah"])
        #expect(model.rows[0].digest == digest && model.rows[1].failure == "exit 1")
    }

    @Test("a publish of digests built elsewhere (a CI run's) shows them imported, with no builder, not as a build's cache; the flow's reuse keeps them so")
    func importedDigests() throws {
        let config = try ReleaseConfigLoader.parse(yaml: "image: acme/app\nregistries: [ghcr.io]\nplatforms: [linux/amd64]\n", source: "gantry.yaml")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let published = ReleasePresenter.releaseViewModel(config: config, version: nil, builder: "buildah", platforms: [
            .init(platform: Self.amd64, state: .reused, result: BuildResult(platform: Self.amd64, manifestDigest: digest)),
        ], kind: .publish)
        #expect(published.rows.map(\.state) == [.imported] && published.rows.map(\.builder) == ["-"])
        #expect(published.header.builders == ["-"])
        #expect(!published.isBuilding, "q quits without asking about builds")
        var state = ReleaseState(release: published)
        for event in BuildEventPresenter.events(for: BuildEvent(Self.amd64, .reused(BuildResult(platform: Self.amd64, manifestDigest: digest)))) {
            state.apply(event, now: 1)
        }
        #expect(state.release.rows.map(\.state) == [.imported] && state.release.allBuilt)
    }

    @Test("a failed or cancelled build shows as such")
    func failedAndCancelled() {
        var state = ReleaseState()
        let failure = BuildFailure(platform: Self.arm64, step: nil, message: "exit status 2", recentLog: [])
        for event in BuildEventPresenter.events(for: BuildEvent(Self.arm64, .failed(failure))) + BuildEventPresenter.events(for: BuildEvent(Self.armv7, .cancelled)) {
            state.apply(event, now: 1)
        }
        #expect(state.release.rows.map(\.state) == [.failed, .cancelled])
        #expect(state.release.rows[0].failure == "exit status 2")
    }

    @Test("moved tags with lost platforms need the typed version; new tags do not")
    func pendingTags() throws {
        let old = Sample.digest("old"), new = Sample.digest("new")
        let set = PendingTagSet(rows: [
            PendingTag(registry: "r1", tag: "1.0.1", current: nil, new: TagTarget(digest: new, platforms: [Self.amd64, Self.arm64]), change: .new),
            PendingTag(
                registry: "r1", tag: "latest",
                current: TagTarget(digest: old, platforms: [Self.amd64, Self.arm64, Self.armv7], version: try SemanticVersion.parse("1.0.0")),
                new: TagTarget(digest: new, platforms: [Self.amd64, Self.arm64], version: try SemanticVersion.parse("1.0.1")),
                change: .move, warnings: [PendingWarning(.lostPlatforms, "loses linux/arm/v7")]),
        ], targets: [IndexTarget(registry: "r1", digest: new, platforms: [Self.amd64, Self.arm64], sources: [])])
        let version = try SemanticVersion.parse("1.0.1")
        let model = PendingTagsPresenter.viewModel(ConfirmationRequest(pending: set, requirement: .typedVersion("1.0.1"), version: version))
        #expect(model.version == "1.0.1")
        #expect(model.rows[1].currentText == "1.0.0 \(Digest.short(old))" && model.rows[1].newText == "1.0.1 \(Digest.short(new))")
        #expect(model.rows.map(\.change) == [.new, .move])
        #expect(model.rows[1].warnings == [.lostPlatforms([Self.armv7])])
        #expect(model.requiresTypedVersion)
        let onlyNew = PendingTagSet(rows: [set.rows[0]], targets: set.targets)
        #expect(!PendingTagsPresenter.viewModel(ConfirmationRequest(pending: onlyNew, requirement: .yes, version: version)).requiresTypedVersion)
    }

    @Test("a version rewrite is a warning on its row; a dirty work tree is a note of the whole set, shown in the confirmation")
    func versionRewriteAndDirtyWorkTree() throws {
        let old = Sample.digest("old"), new = Sample.digest("new")
        let rewrite = "1.0.1 is a published version (\(Digest.short(old))); moving it rewrites that version's bytes"
        let dirty = "built from a work tree with uncommitted changes: revision 0123456789ab does not hold everything the images were built from"
        let set = PendingTagSet(rows: [
            PendingTag(
                registry: "r1", tag: "1.0.1", current: TagTarget(digest: old, platforms: [Self.amd64]), new: TagTarget(digest: new, platforms: [Self.amd64]),
                change: .move, warnings: [PendingWarning(.versionRewrite, rewrite)]),
        ], targets: [], warnings: [PendingWarning(.dirtyWorkTree, dirty)])
        let model = PendingTagsPresenter.viewModel(ConfirmationRequest(pending: set, requirement: .typedVersion("1.0.1"), version: try SemanticVersion.parse("1.0.1")))
        #expect(model.rows[0].warnings == [.other(rewrite)])
        #expect(model.notes == [dirty])
        var grid = CellGrid(width: 80, height: 24)
        ConfirmDialog(model: model, typed: "", error: nil, theme: .monochrome).render(into: &grid, grid.bounds)
        let screen = grid.render()
        #expect(screen.contains("uncommitted changes"), "\(screen)")
    }

    @Test("publication events move each registry from waiting to verified, with one row per verified tag")
    func publish() {
        let new = Sample.digest("index")
        let set = PendingTagSet(
            rows: ["1.0.0", "latest"].map { PendingTag(registry: "r1", tag: $0, current: nil, new: TagTarget(digest: new, platforms: [Self.amd64]), change: .new) },
            targets: [IndexTarget(registry: "r1", digest: new, platforms: [Self.amd64], sources: [])])
        var presenter = PublishPresenter(pending: set)
        #expect(presenter.viewModel.registries.map(\.phase) == [.waiting])
        presenter.apply(ReleaseJournal.RegistryPublication(registry: "r1", state: .publishing))
        #expect(presenter.viewModel.registries.map(\.phase) == [.copying])
        let verification = [
            TagVerification(registry: "r1", tag: "1.0.0", digest: new, platforms: [Self.amd64], problems: []),
            TagVerification(registry: "r1", tag: "latest", digest: nil, platforms: [], problems: ["missing"]),
        ]
        presenter.apply(ReleaseJournal.RegistryPublication(registry: "r1", state: .verified, indexDigest: new, verification: verification))
        let model = presenter.viewModel
        #expect(model.registries[0].phase == .failed, "one tag did not verify")
        #expect(model.registries[0].done == 2 && model.registries[0].total == 2)
        #expect(model.verifications.map(\.result) == [.verified, .missing])
    }

    @Test("a resume: the registry an earlier run verified says so; the verification counts every tag written, read back or not")
    func publishAfterAResume() {
        let new = "sha256:" + String(repeating: "b", count: 64)
        let set = PendingTagSet(
            rows: ["r1", "r2"].flatMap { registry in
                ["1.0.0", "latest"].map { PendingTag(registry: registry, tag: $0, current: nil, new: TagTarget(digest: new, platforms: [Self.amd64]), change: .new) }
            },
            targets: ["r1", "r2"].map { IndexTarget(registry: $0, digest: new, platforms: [Self.amd64], sources: []) })
        var presenter = PublishPresenter(pending: set)
        let verified = { (registry: String) in
            ReleaseJournal.RegistryPublication(registry: registry, state: .verified, indexDigest: new, verification: ["1.0.0", "latest"].map {
                TagVerification(registry: registry, tag: $0, digest: new, platforms: [Self.amd64], problems: [])
            })
        }
        presenter.apply(verified("r1"))
        presenter.apply(ReleaseJournal.RegistryPublication(registry: "r2", state: .publishing))
        var model = presenter.viewModel
        #expect(model.registries.map(\.message) == ["verified earlier", ""])
        let screen = { (model: PublishViewModel) in
            var grid = CellGrid(size: GridSize(width: 80, height: 24))
            PublishScreen(model: model, selected: 0, now: 0, theme: .monochrome).render(into: &grid, Rect(x: 0, y: 0, width: 80, height: 24))
            return grid.render()
        }
        #expect(screen(model).contains("Verification 2/4"), "\(screen(model))")
        var waiting = PublishPresenter(pending: set).viewModel
        waiting.registries = waiting.registries.map { row in
            var row = row
            row.since = 0
            return row
        }
        var grid = CellGrid(size: GridSize(width: 80, height: 24))
        PublishScreen(model: waiting, selected: 0, now: 60, theme: .monochrome).render(into: &grid, Rect(x: 0, y: 0, width: 80, height: 24))
        #expect(!grid.render().contains("no answer"), "a registry not written yet is waiting, not silent: \(grid.render())")
        presenter.apply(verified("r2"))
        model = presenter.viewModel
        #expect(model.registries.map(\.message) == ["verified earlier", ""])
        #expect(screen(model).contains("Verification 4/4"), "\(screen(model))")
    }

    @Test("recover lists only the releases that did not finish, with where they stopped")
    func recover() throws {
        func journal(_ version: String, _ phase: ReleaseJournal.Phase) throws -> ReleaseJournal {
            let v = try SemanticVersion.parse(version)
            var j = ReleaseJournal(
                id: ReleaseID.make(image: "gantry/demo", version: v), kind: .release, image: "gantry/demo", version: v,
                registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: [version], expectedPlatforms: [Self.amd64, Self.arm64])
            j.phase = phase
            j.platforms[0].state = .built
            return j
        }
        let state = StateDirectory(root: URL(fileURLWithPath: "/nonexistent"))
        func listing(_ journal: ReleaseJournal, runner: FileLock.Holder? = nil) -> JournalListing {
            JournalListing(folder: state.release(journal.id), journal: .success(journal), runner: runner)
        }
        let corrupt = JournalListing(
            folder: state.release(try ReleaseID("demo-broken")),
            journal: .failure(JournalError(path: "/nonexistent/journal.json", reason: "is not JSON")))
        let runner = FileLock.Holder(pid: 4242, since: Date(timeIntervalSince1970: 0), purpose: "release")
        let model = ReleasePresenter.recoverViewModel(listings: [
            listing(try journal("1.0.0", .verified)), listing(try journal("1.0.1", .building)), listing(try journal("0.9.0", .cancelled)),
            listing(try journal("1.0.2", .building), runner: runner), corrupt,
        ])
        #expect(model.releases.map(\.version) == ["1.0.2", "1.0.1", ""])
        #expect(model.releases[0].stage == "running (pid 4242): building: built 1 of 2 platforms")
        #expect(model.releases[1].stage == "building: built 1 of 2 platforms")
        #expect(model.releases[2].id == "demo-broken" && model.releases[2].stage == "corrupt: is not JSON")
    }

    @Test("recover offers only what JournalStanding offers: a quit-before-confirm and a superseded release wait behind `a`, marked so")
    func recoverOffersOnlyUnfinished() throws {
        func journal(_ version: String, _ phase: ReleaseJournal.Phase, minute: Double, unconfirmed: ReleaseJournal.Unconfirmed? = nil) throws -> ReleaseJournal {
            let v = try SemanticVersion.parse(version)
            var j = ReleaseJournal(
                id: try ReleaseID("r-\(version)-\(Int(minute))"), kind: .release, image: "gantry/demo", version: v,
                registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: [version], expectedPlatforms: [Self.amd64],
                now: Date(timeIntervalSince1970: 1_800_000_000 + minute * 60))
            j.phase = phase
            j.unconfirmed = unconfirmed
            return j
        }
        let state = StateDirectory(root: URL(fileURLWithPath: "/nonexistent"))
        let journals = [
            try journal("1.2.0", .failed, minute: 1), try journal("1.2.0", .verified, minute: 2),
            try journal("1.3.0", .built, minute: 3, unconfirmed: .left), try journal("1.3.1", .cancelled, minute: 4, unconfirmed: .declined),
            try journal("1.4.0", .building, minute: 5),
        ]
        let model = ReleasePresenter.recoverViewModel(listings: journals.map { JournalListing(folder: state.release($0.id), journal: .success($0)) })
        #expect(model.releases.map(\.version) == ["1.4.0"], "only the really unfinished one is offered")
        #expect(model.notOffered.map(\.note) == ["declined", "quit before confirming", "finished", "superseded by r-1.2.0-2"])

        var console = Console(theme: .monochrome)
        console.apply([.recover(model), .show(.recover)], now: 100)
        func screen() -> String { console.render(size: GridSize(width: 120, height: 24), now: 100).render() }
        #expect(screen().contains("1 unfinished release(s)") && screen().contains("4 more not offered: a shows all"), "\(screen())")
        #expect(!screen().contains("1.3.0"), "\(screen())")
        _ = console.handle(.char("a"))
        #expect(screen().contains("5 journal(s)") && screen().contains("quit before confirming") && screen().contains("superseded by r-1.2.0-2"), "\(screen())")
        _ = console.handle(.char("a"))
        #expect(!screen().contains("1.3.0"), "a again: only the offered ones")
    }

    @Test("an audit shows every registry side by side, the findings of each with its repair or why none, and the tags sharing the digest")
    func audit() {
        let index = Sample.digest("index"), other = Sample.digest("other"), manifest = Sample.digest("amd64")
        let report = AuditReport(results: [
            AuditResult(registry: "r1", repository: "gantry/demo", tag: "latest", digest: index, mediaType: MediaType.ociIndex,
                        platforms: [AuditedPlatform(platform: "linux/amd64", digest: manifest, mediaType: MediaType.ociManifest, size: 500)],
                        findings: [Finding(.drift, "r1/gantry/demo:latest differs from r2")]),
            AuditResult(registry: "r2", repository: "gantry/demo", tag: "latest", digest: other, findings: [Finding(.notAnIndex, "a single manifest")]),
        ])
        let listing = TagListing(registry: "r1", repository: "gantry/demo", groups: [
            TagGroup(digest: index, mediaType: MediaType.ociIndex, tags: ["1.0.0", "latest"], platforms: ["linux/amd64"]),
            TagGroup(digest: other, mediaType: MediaType.ociIndex, tags: ["0.9.0"], platforms: ["linux/amd64"]),
        ])
        let repair = RepairOperation.promote(version: "1.0.0", from: "r1", to: ["r2"], configPath: "gantry.yaml")
        let advice = RepairAdvice(
            repairs: [RepairAdvice.Repair(references: ["r2/gantry/demo:latest"], operation: repair, reason: "r1/gantry/demo:latest is the whole release")],
            unrepaired: ["r1/gantry/demo:latest": "r1/gantry/demo:latest lacks nothing"])
        let model = AuditPresenter.viewModel(report, listing: listing, advice: advice)
        #expect(model.platforms.map(\.digest) == [manifest])
        // Side by side: one row per registry, with what the tag points to there.
        #expect(model.registries.map(\.registry) == ["r1", "r2"])
        #expect(model.registries.map(\.digest) == [index, other])
        #expect(model.registries.map(\.platforms) == [["linux/amd64"], []])
        #expect(model.registries.map(\.problems) == [1, 1])
        #expect(model.findings.map(\.kind) == ["drift", "not-an-index"])
        #expect(model.findings.map(\.message) == ["r1/gantry/demo:latest differs from r2", "r2: a single manifest"])
        #expect(model.findings.map(\.severity) == [.error, .warning])
        #expect(model.findings.map(\.repair) == [nil, repair])
        #expect(model.findings.map(\.advice) == [
            "no repair: r1/gantry/demo:latest lacks nothing",
            "repair: gantry promote 1.0.0 --from r1 --config gantry.yaml --to r2 (r1/gantry/demo:latest is the whole release)",
        ])
        #expect(model.sharedTags == ["1.0.0"])
        #expect(model.candidateTags == ["0.9.0", "1.0.0", "latest"])
    }
}
