import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Synchronization
import Testing

/// The journal screen in the home console, driven headless (the real loop, a scripted
/// terminal) against a real registry: two releases published by the real binary, then the
/// list, the detail pane, a refused rollback and a rollback previewed, confirmed and run by
/// the engine's rollback flow. skopeo checks the registry.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct JournalConsoleTests {
    @Test("Home → Journal lists both releases whole; b on the first says why it cannot be rolled back; Enter shows 1.0.1's history; b previews its rollback, Esc declines, b and Enter run it and latest is back on 1.0.0; b again finds nothing left")
    func journalAndRollback() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            for version in ["1.0.0", "1.0.1"] {
                let result = try await project.gantry(["release", version, "--no-tui", "--yes"])
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            }
            let first = try await Skopeo.digest("\(registry.host)/gantry/demo:1.0.0")
            let second = try await Skopeo.digest("\(registry.host)/gantry/demo:latest")
            #expect(first != second)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let journals = try JournalStore(state: state).list().compactMap { try? $0.journal.get() }
            let ids = try ["1.0.1", "1.0.0"].map { v in try #require(journals.first { $0.version?.description == v }).id.rawValue }
            let frames = ConsoleFrames()
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
                .input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)),
                frames.wait(for: "2 journal(s)"),
                .input(.key(.down)), .input(.key(.char("b"))), frames.wait(for: "only created tags"),
                .input(.key(.up)), .input(.key(.enter)), frames.wait(for: "Publications"),
                .input(.key(.char("b"))), frames.wait(for: "Roll back 1.0.1?"),
                // Esc declines (no rollback journal is written); b asks again, Enter runs it.
                .input(.key(.escape)), frames.wait(for: "Rollback declined"),
                .input(.key(.char("b"))), frames.wait(for: "Enter roll back"),
                .input(.key(.enter)), frames.wait(for: "Rolled back"),
                // Esc leaves the publish screen for the detail pane, then the list.
                .input(.key(.escape)), .input(.key(.escape)), frames.wait(for: "3 journal(s)"),
                // The selection stayed on 1.0.1: rolled back already, the flow finds nothing left to move.
                .input(.key(.char("b"))), frames.wait(for: "Nothing to roll back"),
                .input(.key(.char("q"))),
            ])
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            #expect(try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) == .quit)

            let list = frames.frame("2 journal(s)")
            for (id, version) in zip(ids, ["1.0.1", "1.0.0"]) {
                #expect(list.split(separator: "\n").contains { $0.contains("release") && $0.contains(version) && $0.contains("verified") && $0.contains(id) }, "\(list)")
            }
            #expect(frames.frame("only created tags").contains("\(ids[1]) only created tags (none existed before); a rollback deletes no tag"), "\(frames.frame("only created tags"))")
            let detail = frames.frame("Publications")
            #expect(detail.contains("release \(ids[0])") && detail.contains("\(registry.host)  verified  index \(second)"), "\(detail)")
            #expect(detail.contains("History") && detail.contains("pending tag set"), "\(detail)")
            let preview = frames.frame("Roll back 1.0.1?")
            #expect(preview.contains("\(registry.host) latest: 1.0.1 \(Digest.short(second)) → 1.0.0 \(Digest.short(first))"), "\(preview)")
            #expect(preview.contains("created by \(ids[0]) and kept"), "\(preview)")
            #expect(frames.frame("Rollback declined").contains("Rollback declined: no tag moved."), "\(frames.frame("Rollback declined"))")
            #expect(frames.frame("Rolled back").contains("every tag is back at its previous digest"), "\(frames.frame("Rolled back"))")
            let rolledBack = frames.frame("3 journal(s)")
            #expect(rolledBack.split(separator: "\n").contains { $0.contains("rollback") && $0.contains("verified") && $0.contains("\(ids[0])-rollback-") }, "\(rolledBack)")
            #expect(frames.frame("Nothing to roll back").contains("Nothing to roll back: no tag still points at what \(ids[0]) published."), "\(frames.frame("Nothing to roll back"))")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest") == first)
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:1.0.1") == second, "a created tag is kept")
        }
    }

    @Test("the journal screen refreshes itself: a release published by another process while it is open appears, verified")
    func refreshesWhileOpen() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let frames = ConsoleFrames()
            let published = Mutex(false)
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
                .input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)),
                frames.wait(for: "No journals yet"),
                .until(deadline: Patience.wait) { published.withLock { $0 } },
                // The frame that shows it verified (the refresh may first show it running).
                frames.wait(for: "verified"),
                .input(.key(.char("q"))),
            ])
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let console = Task { try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) }
            // Released only once the console shows the empty list.
            #expect(try await frames.awaitFrame("No journals yet"))
            let result = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            published.withLock { $0 = true }
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(try await console.value == .quit)
            #expect(frames.frame("No journals yet").contains("gantry · Journal"), "\(frames.frame("No journals yet"))")
            let list = frames.frame("verified")
            #expect(list.contains("1 journal(s)") && list.split(separator: "\n").contains { $0.contains("release") && $0.contains("1.0.0") && $0.contains("verified") }, "\(list)")
        }
    }
}
