import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Synchronization
import Testing

/// The audit screen driven headless against real registries: a tag side by side in every
/// configured registry, its findings, and Enter on a finding running the engine's repair in
/// the release console.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct AuditConsoleTests {
    @Test("a single-platform latest: side by side in both registries; Enter on the drift says why there is no repair, Enter on not-an-index opens the publish that repairs it")
    func auditRepairInTheConsole() async throws {
        try await withRegistries(2) { registries in
            let (a, b) = (registries[0].host, registries[1].host)
            let project = try DemoProject(registries: [a, b], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let released = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            let journal = try #require(ReleaseConsoleTests.journal(project))
            // A last-finishing single-platform push overwrites latest in the first registry.
            let amd64 = try #require(journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                         "docker://\(a)/gantry/demo@\(amd64)", "docker://\(a)/gantry/demo:latest"])

            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let audited = Mutex(""), refused = Mutex("")
            // Home → Audit → "gantry/demo:latest" → Enter; G (the last finding: b's drift) → Enter; g → Enter.
            let typed: [HeadlessTerminal.Step] = "gantry/demo:latest".map { .input(.key(.char($0))) }
            let shown: HeadlessTerminal.Step = .untilScreen(deadline: Patience.wait) { grid in
                Self.keep(grid, in: audited) { $0.contains("↵ repair: gantry publish") }
            }
            let said: HeadlessTerminal.Step = .untilScreen(deadline: Patience.wait) { grid in
                Self.keep(grid, in: refused) { $0.split(separator: "\n").last?.contains("no repair:") == true }
            }
            let script: [HeadlessTerminal.Step] = [.input(.key(.down)), .input(.key(.enter))] + typed
                + [.input(.key(.enter)), shown, .input(.key(.char("G"))), .input(.key(.enter)), said, .input(.key(.char("g"))), .input(.key(.enter)),
                   // The last Enter leaves; if it does not, quit (the outcome check then fails) rather than hang.
                   .until(deadline: Patience.scaled(.seconds(30))) { false }, .input(.key(.char("q")))]
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: script)
            let outcome = try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal)
            let last = await terminal.lastGrid?.render() ?? ""

            let side = audited.withLock { $0 }
            let rows = side.split(separator: "\n").map(String.init)
            // The registries' rows come first: a's has three findings, b's the drift alone.
            let rowA = try #require(rows.first { $0.contains(a) && $0.contains("✗") }, "\(side)")
            let rowB = try #require(rows.first { $0.contains(b) && $0.contains("✗") }, "\(side)")
            #expect(rowA.contains("✗ 3") && rowB.contains("✗ 1"), "\(side)")
            #expect(rowA.contains("linux/amd64") && !rowA.contains("linux/arm64"), "\(rowA)")
            #expect(rowB.contains("linux/amd64, linux/arm64") && rowB.contains("1.0.0"), "\(rowB)")
            for kind in ["not-an-index", "missing-platform", "drift"] { #expect(side.contains(kind), "\(side)") }
            #expect(side.contains("↵ repair: gantry publish \(journal.id)"), "\(side)")
            let status = refused.withLock { $0 }.split(separator: "\n").last ?? ""
            #expect(status.contains("no repair: \(b)/gantry/demo:latest lacks nothing"), "\(status)")

            let repair = RepairOperation.publishJournal(journal.id, configPath: journal.configPath)
            #expect(outcome == .repair(repair), "\(last)")
            // The caller runs it as the engine's flow: pending tags, the typed version, publish, verify.
            let version: [HeadlessTerminal.Step] = "1.0.0".map { .input(.key(.char($0))) }
            let publishing: [HeadlessTerminal.Step] = [ReleaseConsoleTests.askedToConfirm, .input(.key(.char("p")))] + version
                + [.input(.key(.enter)), ReleaseConsoleTests.shows("Verified"), .input(.key(.char("q")))]
            let (result, _) = try await ReleaseConsoleTests.console(
                try repair.request(config: config, state: state), project, stub: [:],
                script: publishing)
            #expect(result.outcome?.stage == .verified && result.outcome?.journal.kind == .publish)
            for host in [a, b] {
                #expect(try await skopeoPlatforms("\(host)/gantry/demo:latest") == ["linux/amd64", "linux/arm64"], "\(host)")
            }
        }
    }

    /// Whether `grid` satisfies `condition`; when it does, its text is kept in `store`.
    private static func keep(_ grid: CellGrid, in store: borrowing Mutex<String>, _ condition: (String) -> Bool) -> Bool {
        let text = grid.render()
        guard condition(text) else { return false }
        store.withLock { $0 = text }
        return true
    }
}
