import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// The command log (`L`) of a headless console release against a real registry.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct CommandLogTests {
    @Test("after publishing, L lists the index pushed, every tag written (tag → digest, registry) and read back, with times")
    func releaseShowsItsTagWrites() async throws {
        try await withRegistry { registry in
            let project = try ReleaseConsoleTests.project([registry], platforms: ["linux/amd64"])
            defer { project.remove() }
            let repository = "\(registry.host)/gantry/demo"
            let (result, screen) = try await ReleaseConsoleTests.console(
                .release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions()),
                project, stub: [:],
                script: [ReleaseConsoleTests.askedToConfirm, .input(.key(.char("p"))), .input(.key(.enter)),
                         ReleaseConsoleTests.until(project) { $0.phase == .verified }, .input(.key(.char("L"))),
                         ReleaseConsoleTests.shows("read back \(repository):latest"), .input(.key(.char("q")))])
            #expect(result.outcome?.stage == .verified)
            let index = Digest.short(try #require(result.outcome?.journal.publications.first?.indexDigest))
            #expect(screen.contains("· Command log"), "\(screen)")
            #expect(screen.contains("push manifest \(repository)@\(index)"), "\(screen)")
            for tag in ["1.0.0", "1.0", "1", "latest"] {
                #expect(screen.contains("PUT tag \(repository):\(tag) → \(index)"), "\(screen)")
                #expect(screen.contains("read back \(repository):\(tag) → \(index) ok"), "\(screen)")
            }
            #expect(screen.contains("run ") && screen.contains("buildx build"), "\(screen)")
            #expect(screen.firstMatch(of: /\d\d:\d\d:\d\d +PUT tag/) != nil, "\(screen)")
        }
    }
    @Test("the command log is the session's: back at Home after a release, L still lists the release's tag writes")
    func homeShowsTheSessionsLog() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            let repository = "\(registry.host)/gantry/demo"
            let frames = ConsoleFrames()
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
                frames.wait(for: "Image gantry/demo"), .input(.key(.enter)), frames.wait(for: "New release"),
            ] + "1.0.0".map { .input(.key(.char($0))) } + [
                .input(.key(.enter)), frames.wait(for: "· Pending tags ·"), .input(.key(.char("p"))), .input(.key(.enter)),
                frames.wait(for: "Verified: every tag"),
                .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)), frames.wait(for: "Release 1.0.1"),
                .input(.key(.char("L"))), frames.wait(for: "PUT tag \(repository):latest"), .input(.key(.char("q"))),
            ])
            let environment = FlowEnvironment(
                state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), docker: StubDocker.path, credentials: .anonymous)
            _ = try await ConsoleSession.run(
                configPath: project.configPath, loadConfig: { try ReleaseConfigLoader.load(path: project.configPath) }, environment: environment,
                terminal: terminal)
            let log = frames.frame("PUT tag \(repository):latest")
            #expect(log.contains("gantry · Command log"), "\(log)")
            #expect(["1.0.0", "1.0", "1", "latest"].allSatisfy { log.contains("PUT tag \(repository):\($0) → ") }, "\(log)")
        }
    }
    @Test("the log keeps the newest entries only, however long the session, and counts what it dropped")
    func theLogIsBounded() {
        var log = CommandLog()
        let extra = 700
        for i in 0..<(CommandLog.capacity + extra) { log.append(Activity(.command("step \(i)"))) }
        #expect(log.entries.count == CommandLog.capacity && log.total == CommandLog.capacity + extra)
        #expect(log.entries.first?.kind == .command("step \(extra)") && log.entries.last?.kind == .command("step \(CommandLog.capacity + extra - 1)"))
    }
}
