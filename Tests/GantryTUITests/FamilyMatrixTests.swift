import Foundation
import GantryEngine
import Testing
@testable import GantryTUI

/// The family's matrix as a user moves through it: grouped by image, Enter folds an image
/// to its header line and back, `/` matches images, and a failure unfolds its image.
@Suite struct FamilyMatrixTests {
    @Test func enterFoldsAnImageAndAFailureUnfoldsIt() {
        var console = SampleFamily.console()
        #expect(console.state.release.lines().filter { $0.row == nil }.count == 3)
        #expect(console.state.release.rows.map(\.image) == SampleFamily.images.flatMap { [$0, $0] })
        // The worker's arm64 failed: its row is selected; to the top, down to the slim header, Enter folds it.
        for key: Key in [.home, .down, .down, .down, .enter] { _ = console.handle(key) }
        var screen = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        #expect(screen.contains("▸ acme/app:slim"), "\(screen)")
        #expect(screen.contains("Enter unfolds its platforms"))
        #expect(screen.split(separator: "\n").filter { $0.contains("linux/") }.count == 4, "the slim variant's two rows are folded away:\n\(screen)")
        _ = console.handle(.enter)
        screen = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        #expect(screen.contains("▾ acme/app:slim") && screen.split(separator: "\n").filter { $0.contains("linux/") }.count == 6)

        // Folded again, a failure of the slim variant unfolds it and selects the failed row.
        _ = console.handle(.enter)
        console.apply([.platform(SampleFamily.platforms[0], .failed("exit status 1"), image: "acme/app:slim")], now: 100)
        screen = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        #expect(screen.contains("▾ acme/app:slim"), "\(screen)")
        #expect(screen.contains("Log · acme/app:slim linux/amd64"), "the failed row is selected:\n\(screen)")
    }

    @Test func slashFiltersByImage() {
        var console = SampleFamily.console()
        for key: Key in [.char("/"), .char("w"), .char("o"), .char("r"), .char("k"), .enter] { _ = console.handle(key) }
        let screen = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        #expect(screen.contains("▾ acme/worker"))
        #expect(!screen.contains("▾ acme/app"), "only the worker's lines are left:\n\(screen)")
        #expect(screen.split(separator: "\n").filter { $0.contains("linux/") }.count == 2)
    }

    @Test func aFamilysDriftIsPerImage() {
        // The app's and the worker's `latest` point at different digests: two tags, no drift.
        let model = SampleFamily.pendingTags
        #expect(model.driftingTags.isEmpty, "\(model.driftingTags)")
        var drifted = model
        let i = drifted.rows.firstIndex { $0.image == "acme/worker" && $0.tag == "latest" && $0.registry == "docker.io" }!
        drifted.rows[i].currentDigest = Sample.digest("elsewhere")
        #expect(drifted.driftingTags == ["acme/worker:latest"])
    }

    @Test func aFamilysPublishShowsItsPlatformsImportedNotQueued() throws {
        let config = try ReleaseConfigLoader.parse(yaml: """
            image: acme/app
            registries: [127.0.0.1:1]
            platforms: [linux/amd64, linux/arm64]
            build: {context: .}
            images:
              - variant: default
              - image: acme/worker

            """, source: "gantry.yaml")
        let request = FamilyRequest.publish(config, try SemanticVersion.parse("1.0.0"), sources: [:], FamilyOptions())
        let matrix = try FamilyConsole.matrix(of: request, in: FlowEnvironment(state: StateDirectory(root: URL(fileURLWithPath: "/nonexistent"))))
        #expect(matrix.rows.count == 4 && matrix.rows.allSatisfy { $0.state == .imported && $0.builder == "-" })
        #expect(!matrix.isBuilding, "nothing builds: Esc goes home, q quits without asking")
        let release = try FamilyConsole.matrix(of: .release(config, try SemanticVersion.parse("1.0.0"), FamilyOptions()),
                                               in: FlowEnvironment(state: StateDirectory(root: URL(fileURLWithPath: "/nonexistent"))))
        #expect(release.rows.allSatisfy { $0.state == .queued } && release.isBuilding)
    }
}
