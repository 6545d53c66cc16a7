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
}
