import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// What the CLI reports, the home console shows: a config that does not load, with its
/// problems; tags a registry cannot list; an audit that could not check everything.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HomeConsoleFailureTests {
    @Test("an invalid config is shown on the home screen with its file:line:col problems, and Release says so instead of no config")
    func anInvalidConfigShowsItsProblems() async throws {
        try await withTemporaryDirectory { dir in
            let path = try dir.write("gantry.yaml", "image: acme/app\nplatfroms: [linux/amd64]\n")
            let loaded = #expect(throws: ConfigError.self) { try ReleaseConfigLoader.load(path: path) }
            let problem = try #require(loaded?.diagnostics.first { $0.field == "platfroms" })
            // The line as the home screen shows it, cut to its width like every other.
            let shown = "\(problem.file):\(problem.line):\(problem.column): platfroms: unknown key"
            let frames = ConsoleFrames()
            let version: [HeadlessTerminal.Step] = "1.0.0".map { .input(.key(.char($0))) }
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
                frames.wait(for: shown),
                // Home → Release → 1.0.0 → Enter: the status line says why the release cannot start.
                .input(.key(.enter))] + version + [.input(.key(.enter)), frames.wait(for: "\(path): invalid release config"),
                .input(.key(.escape)), .input(.key(.char("q"))),
            ])
            let outcome = try await HomeConsole.run(
                config: nil, configError: RecordedError(try #require(loaded)), configPath: path,
                state: StateDirectory(root: dir.url.appendingPathComponent("state")), terminal: terminal)
            #expect(outcome == .quit)
            let home = frames.frame(shown)
            #expect(home.contains("Config \(path)"), "\(home)")
            #expect(home.contains("invalid release config (\(try #require(loaded).diagnostics.count) problem"), "\(home)")
            let status = frames.frame("\(path): invalid release config")
            #expect(!status.isEmpty && !status.contains("No release config"), "\(status)")
        }
    }

    @Test("an audit whose release tags cannot be listed shows what was not checked and why, never no findings; the failed listing is said")
    func anAuditThatCouldNotListTagsIsIncomplete() async throws {
        try await withUnlistableReleaseTags { proxy in
            try await withTemporaryDirectory { dir in
                let latest = "\(proxy.host)/acme/app:latest"
                let frames = ConsoleFrames()
                let typed: [HeadlessTerminal.Step] = latest.map { .input(.key(.char($0))) }
                let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [.input(.key(.down)), .input(.key(.enter))] + typed + [
                    .input(.key(.enter)), frames.wait(for: "could not list the tags of \(proxy.host)/acme/app"),
                    .input(.key(.escape)), .input(.key(.escape)), .input(.key(.char("q"))),
                ])
                let outcome = try await HomeConsole.run(
                    config: nil, configPath: dir.url.appendingPathComponent("gantry.yaml").path,
                    state: StateDirectory(root: dir.url.appendingPathComponent("state")), terminal: terminal)
                #expect(outcome == .quit)
                let audit = frames.frame("could not list the tags of \(proxy.host)/acme/app")
                #expect(audit.contains("not-checked"), "\(audit)")
                #expect(audit.contains("could not read the release tags"), "\(audit)")
                #expect(!audit.contains("no findings"), "\(audit)")
            }
        }
    }
}
