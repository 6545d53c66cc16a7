import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Synchronization
import Testing

/// The release console driven headless (the real loop, a scripted terminal) against real
/// registries and the buildx stand-in; checked on the flow's outcome, not only on the screen.
/// Beside it, the plain mode of the real binary on the same release: both reach the same decisions.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ReleaseConsoleTests {
    let arm64 = try! Platform.parse("linux/arm64")

    /// The demo with a RUN step (where the stand-in fails a platform), built with buildx.
    static func project(_ registries: [RegistryServer], platforms: [String]) throws -> DemoProject {
        let project = try DemoProject(registries: registries.map(\.host), platforms: platforms, extra: ["builder": "buildx"])
        try project.directory.write("demo/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
        return project
    }

    /// The only journal in the project's state folder, as it is on disk now.
    static func journal(_ project: DemoProject) -> ReleaseJournal? {
        try? JournalStore(state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))).list().first?.journal.get()
    }

    /// Runs `request` in the console with `script`; returns the result and the last screen.
    static func console(
        _ request: FlowRequest, _ project: DemoProject, stub: [String: String], script: [HeadlessTerminal.Step]
    ) async throws -> (ReleaseConsole.Result, String) {
        let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: script)
        let environment = FlowEnvironment(
            state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), docker: StubDocker.path, environment: stub,
            credentials: .anonymous)
        let result = try await ReleaseConsole.run(request, in: environment, terminal: terminal)
        return (result, await terminal.lastGrid?.render() ?? "")
    }

    /// Waits (bounded) until the journal on disk satisfies `condition`.
    static func until(_ project: DemoProject, _ condition: @escaping @Sendable (ReleaseJournal) -> Bool) -> HeadlessTerminal.Step {
        .until(deadline: Patience.wait) { journal(project).map(condition) ?? false }
    }

    /// Waits (bounded) until the console shows the pending tags it asks to confirm: the
    /// journal is written before the question reaches the console, so waiting on the journal
    /// alone let a key land while `p` was still disabled.
    static let askedToConfirm = shows("· Pending tags ·")

    /// Waits (bounded) until the console's last frame contains `text`, so a key is sent only
    /// once the console itself has seen the state the key is meant for.
    static func shows(_ text: String) -> HeadlessTerminal.Step {
        .untilScreen(deadline: Patience.wait) { $0.render().contains(text) }
    }

    /// Waits (bounded) until a line of the console starts with `text`: the refusal `p` posts
    /// replaces the hint, which also ends with the reason, so only the line's start tells them apart.
    static func footerStarts(_ text: String) -> HeadlessTerminal.Step {
        .untilScreen(deadline: Patience.wait) { grid in
            grid.render().split(separator: "\n").contains { $0.drop { $0 == " " }.hasPrefix(text) }
        }
    }

    /// Starts a release of 1.0.0 in the console and quits at the pending tags.
    static func leftAtConfirmation(_ project: DemoProject) async throws -> (ReleaseConsole.Result, ReleaseConfig) {
        let config = try ReleaseConfigLoader.load(path: project.configPath)
        let (left, _) = try await console(
            .release(config, try SemanticVersion.parse("1.0.0"), FlowOptions()), project, stub: [:],
            script: [askedToConfirm, .input(.key(.char("q")))])
        return (left, config)
    }

    @Test("a failed platform: plain and console both refuse to publish, with the same reason")
    func sameRefusal() async throws {
        try await withRegistry { registry in
            let stub = ["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"]
            let plainProject = try Self.project([registry], platforms: ["linux/amd64", "linux/arm64"])
            defer { plainProject.remove() }
            let plain = try await plainProject.gantry(["release", "1.0.0", "--no-tui", "--yes"], environment: stub.merging(["PATH": StubDocker.searchPath]) { $1 })
            #expect(plain.status == 1)
            let project = try Self.project([registry], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let (result, screen) = try await Self.console(
                .release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions()), project, stub: stub,
                // `p` once the flow asks: pressed before, its refusal was overwritten by the question's hint.
                script: [Self.shows("P publishes without it"), .input(.key(.char("p"))), Self.footerStarts("linux/arm64 (failed"), .input(.key(.char("q")))])
            let refusal = try #require(result.outcome?.refusal)
            #expect(result.outcome?.stage == .built)
            #expect(refusal.reason.contains("linux/arm64 (failed") && refusal.reason.contains("--allow-partial linux/arm64"))
            #expect(plain.stdout.contains("nothing was published: \(refusal.reason)"), "\(plain.stdout)")
            // `p` showed the flow's reason (cut to the screen's width) in the footer.
            #expect(screen.contains(String(refusal.reason.prefix(60))), "\(screen)")
            #expect(try await RegistryProbe.tags(host: registry.host, repository: "gantry/demo") == [])
        }
    }

    @Test("P on a failed platform: the pending tags say they leave it out (not 'every platform is built'), and R there says why it cannot build it now")
    func publishWithoutInTheConsole() async throws {
        try await withRegistry { registry in
            let project = try Self.project([registry], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let frames = ConsoleFrames()
            let (result, _) = try await Self.console(
                .release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions()), project,
                stub: ["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"],
                // `P` once the flow asks (its hint and the keys it allows arrive in one frame).
                script: [Self.shows("P publishes without it"), .input(.key(.char("P"))), Self.shows("Publish without linux/arm64?"),
                         .input(.key(.enter)), frames.wait(for: "Publishing without linux/arm64"),
                         .input(.key(.char("r"))), Self.shows("✗ failed"),
                         .input(.key(.char("R"))), frames.wait(for: "the pending tags are open"), .input(.key(.char("q")))])
            #expect(!frames.frame("Publishing without linux/arm64").contains("Every platform is built"))
            #expect(frames.frame("the pending tags are open").contains("answer them first"), "\(frames.frame("the pending tags are open"))")
            #expect(result.outcome?.stage == .built)
            #expect(try await RegistryProbe.tags(host: registry.host, repository: "gantry/demo") == [])
        }
    }

    @Test("--allow-partial: plain and console both publish without the failed platform")
    func samePublication() async throws {
        try await withRegistries(2) { registries in
            let stub = ["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"]
            let project = try Self.project([registries[0]], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let (result, _) = try await Self.console(
                .release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions(allowPartial: [arm64])),
                project, stub: stub,
                script: [Self.askedToConfirm, .input(.key(.char("p"))), .input(.key(.enter)),
                         Self.until(project) { $0.phase == .verified }, .input(.key(.char("q")))])
            #expect(result.outcome?.stage == .verified)
            let plainProject = try Self.project([registries[1]], platforms: ["linux/amd64", "linux/arm64"])
            defer { plainProject.remove() }
            let plain = try await plainProject.gantry(
                ["release", "1.0.0", "--no-tui", "--yes", "--allow-partial", "linux/arm64"], environment: stub.merging(["PATH": StubDocker.searchPath]) { $1 })
            #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
            for registry in registries {
                let index = try await JSONSerialization.jsonObject(with: Skopeo.rawManifest("\(registry.host)/gantry/demo:latest")) as? [String: Any]
                let platforms = (index?["manifests"] as? [[String: Any]])?.compactMap { ($0["platform"] as? [String: Any])?["architecture"] as? String }
                #expect(platforms == ["amd64"], "\(registry.host)")
            }
        }
    }

    @Test("R on a failed platform builds it again in the console; then p publishes")
    func retryInTheConsole() async throws {
        try await withRegistry { registry in
            let project = try Self.project([registry], platforms: ["linux/amd64"])
            defer { project.remove() }
            let marker = project.directory.url.appendingPathComponent("failed-once").path
            let (result, _) = try await Self.console(
                .release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions()),
                project, stub: ["GANTRY_STUB_FAIL_ONCE": marker],
                script: [Self.until(project) { $0.phase == .failed }, Self.shows("R builds the selected platform again"), .input(.key(.char("R"))),
                         Self.askedToConfirm, .input(.key(.char("p"))), .input(.key(.enter)),
                         Self.until(project) { $0.phase == .verified }, .input(.key(.char("q")))])
            #expect(result.outcome?.stage == .verified)
            #expect(result.outcome?.journal.history.contains { $0.message == "building linux/amd64" } == true)
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest").hasPrefix("sha256:"))
        }
    }

    @Test("quitting at the pending tags leaves the release resumable; Recover lists it under a (not offered by default); a running one shows its pid and Enter says why it cannot be resumed, in the console")
    func leaveThenRecover() async throws {
        try await withRegistry { registry in
            let project = try Self.project([registry], platforms: ["linux/amd64"])
            defer { project.remove() }
            let (left, config) = try await Self.leftAtConfirmation(project)
            let id = try #require(left.outcome?.journal.id)
            #expect(left.outcome?.stage == .built && left.outcome?.next == "gantry resume \(id)")
            #expect(Self.journal(project)?.phase == .built)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            // While another flow owns the release, Recover shows it running, and Enter says why instead of leaving.
            try await ReleaseFlow.with(.resume(id, config: nil), in: FlowEnvironment(state: state, docker: StubDocker.path, credentials: .anonymous)) { _ in
                let seen = Mutex(false)
                let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [
                    .input(.key(.char("j"))), .input(.key(.char("j"))), .input(.key(.enter)), .input(.key(.enter)),
                    .until(deadline: Patience.wait) { seen.withLock { $0 } }, .input(.key(.char("q"))),
                ])
                let home = Task { try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) }
                let screen = try await poll("Recover showing the release running", observe: { await terminal.lastGrid?.render() ?? "" },
                                            describe: { $0 }, until: { $0.contains("is running (pid") })
                seen.withLock { $0 = true }
                #expect(screen.contains("1.0.0") && screen.contains("running (pid \(getpid()))"), "\(screen)")
                #expect(screen.contains("release \(id) is running (pid \(getpid()) since"), "\(screen)")
                #expect(try await home.value == .quit)
            }
            // Left at its confirmation, it is not offered for resume: `a` lists it, and Enter resumes it.
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [
                .input(.key(.char("j"))), .input(.key(.char("j"))), .input(.key(.enter)), .input(.key(.char("a"))), .input(.key(.enter)),
            ])
            let outcome = try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal)
            #expect(outcome == .resume(id: id.rawValue))
        }
    }

    @Test("the configured image named without a registry (as a tag picked from the list is) is audited in the configured registries, not on Docker Hub")
    func auditPicksTheConfiguredRegistries() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            #expect(try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"]).status == 0)
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let audited = Mutex(false)
            // Home → Audit → "gantry/demo:1" → Enter.
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [.input(.key(.down)), .input(.key(.enter))]
                + "gantry/demo:1".map { .input(.key(.char($0))) }
                + [.input(.key(.enter)), .until(deadline: Patience.wait) { audited.withLock { $0 } }, .input(.key(.escape)), .input(.key(.char("q")))])
            let home = Task { try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) }
            let screen = try await poll("the audit of gantry/demo:1", observe: { await terminal.lastGrid?.render() ?? "" },
                                        describe: { $0 }, until: { $0.contains("Audited \(registries[0].host)/gantry/demo:1") })
            audited.withLock { $0 = true }
            #expect(try await home.value == .quit)
            #expect(!screen.contains("docker.io"), "\(screen)")
            #expect(screen.contains("Audited \(registries[0].host)/gantry/demo:1"), "\(screen)")
        }
    }

    @Test("x in Recover dismisses a release left at its confirmation (shown with a, as it is not offered): its journal says abandoned, nothing is deleted, the list drops it")
    func dismissFromRecover() async throws {
        try await withRegistry { registry in
            let project = try Self.project([registry], platforms: ["linux/amd64"])
            defer { project.remove() }
            let (left, config) = try await Self.leftAtConfirmation(project)
            let id = try #require(left.outcome?.journal.id)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            // Quit before confirming is not offered for resume: `a` lists it, then `x` dismisses it.
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [
                .input(.key(.char("j"))), .input(.key(.char("j"))), .input(.key(.enter)), .input(.key(.char("a"))), .input(.key(.char("x"))),
                Self.until(project) { $0.phase == .abandoned }, .input(.key(.char("q"))),
            ])
            #expect(try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) == .quit)
            let journal = try JournalStore(state: state).load(id)
            #expect(journal.phase == .abandoned && journal.history.last?.message.contains("abandoned") == true)
            #expect(journal.platforms.allSatisfy { $0.result != nil }, "nothing of the journal was lost")
            #expect(ReleasePresenter.recoverViewModel(listings: try JournalStore(state: state).list()).releases.isEmpty)
        }
    }
}
