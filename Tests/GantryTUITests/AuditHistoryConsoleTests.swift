import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// The audit's history pane driven headless against a real registry: Enter on a registry row
/// reads the tag's release records, the same timeline `gantry history` prints.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct AuditHistoryConsoleTests {
    @Test("two releases and a rollback from the registry; Audit → latest → Tab Tab (field → tags → registries) → Enter shows rollback, 1.1.0 and 1.0.0 newest first with who and the digests before")
    func enterOnARegistryRowShowsTheTagsHistory() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            for version in ["1.0.0", "1.1.0"] {
                let released = try await project.gantry(["release", version, "--no-tui", "--yes"])
                #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            }
            let latest = "\(registry.host)/gantry/demo:latest"
            let newer = try await Skopeo.digest(latest)
            let rollback = try await GantryBinary.run(["rollback", latest, "--yes", "--state-dir", project.stateDirectory])
            #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
            let older = try await Skopeo.digest(latest)

            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let audited = Kept(), history = Kept()
            var script: [HeadlessTerminal.Step] = [.input(.key(.down)), .input(.key(.enter))]
            script += "gantry/demo:latest".map { .input(.key(.char($0))) }
            script += [.input(.key(.enter)), audited.until { $0.contains("Audited") && $0.contains("Last record") }]
            // No findings: Tab goes to the repository's tags, Tab again to the registries' rows.
            script += [.input(.key(.tab)), .input(.key(.tab)), .input(.key(.enter)), history.until { $0.contains("History of") && $0.contains("1.0.0, released") }]
            script += [.input(.key(.char("q")))]
            let terminal = HeadlessTerminal(size: GridSize(width: 200, height: 40), script: script)
            let outcome = try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal)
            #expect(outcome == .quit)

            #expect(audited.text.contains("rolled back from 1.1.0 by"), "the registry row shows the tag's last record: \(audited.text)")
            let screen = history.text.split(separator: "\n").map(String.init)
            let pane = try #require(screen.firstIndex { $0.contains("History of \(latest)") }, "\(history.text)")
            let lines = Array(screen[pane...])
            let rolledBack = try #require(lines.firstIndex { $0.contains("rolled back from 1.1.0 by") }, "\(history.text)")
            let second = try #require(lines.firstIndex { $0.contains("1.1.0, released by") }, "\(history.text)")
            let first = try #require(lines.firstIndex { $0.contains("1.0.0, released by") }, "\(history.text)")
            #expect(rolledBack < second && second < first, "newest first: \(history.text)")
            #expect(lines[rolledBack].contains(Digest.short(older)) && lines[rolledBack].contains(Digest.short(newer)), "now \(older), before \(newer): \(lines[rolledBack])")
            #expect(lines[first].contains("(created)"), "\(lines[first])")
        }
    }
}
