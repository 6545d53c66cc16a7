import Foundation
import GantryTestSupport
import Testing

/// `gantry rollback ID` through the real binary: the rollback flow's refusal is the one the
/// console's journal screen shows beside `b`.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RollbackCommandTests {
    @Test("a release that only created tags has nothing to roll back: exit 2 with the reason, nothing written")
    func onlyCreatedTags() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            #expect(try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"]).status == 0)
            let id = try #require(project.journalFiles().first).deletingLastPathComponent().lastPathComponent
            let latest = try await Skopeo.digest("\(registry.host)/gantry/demo:latest")
            let rollback = try await GantryBinary.run(["rollback", id, "--yes", "--state-dir", project.stateDirectory])
            #expect(rollback.status == 2, "\(rollback.stdout)\(rollback.stderr)")
            #expect(rollback.stderr.contains("release \(id) only created tags (none existed before); a rollback deletes no tag"), "\(rollback.stderr)")
            #expect(project.journalFiles().count == 1, "no rollback journal was written")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest") == latest)
        }
    }
}
