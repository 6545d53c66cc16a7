import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// With a family config, what an audit expects of a tag and what a repair may run: no
/// repair acts on the family's top-level image in another image's place, and a variant's
/// tag is not held to platforms only its sibling builds.
@Suite struct FamilyRepairScopeTests {
    static let config = try! ReleaseConfigLoader.parse(yaml: """
        image: acme/app
        registries: [registry-a.example, registry-b.example]
        platforms: [linux/amd64, linux/arm64]
        build: {context: .}
        tags: ["{{version}}", latest]
        images:
          - variant: default
          - {variant: slim, platforms: [linux/amd64]}
          - image: acme/worker

        """, source: "gantry.yaml")

    @Test func aTagOfARepositoryWhoseVariantsDifferRequiresOnlyTheSharedPlatforms() throws {
        let slim = AuditScope(references: [try ImageReference.parse("registry-a.example/acme/app:1.0.0-slim")], config: Self.config).targets
        #expect(slim.map(\.reference.description) == ["registry-a.example/acme/app:1.0.0-slim", "registry-b.example/acme/app:1.0.0-slim"])
        #expect(slim.allSatisfy { $0.expectation.platforms == [try! Platform.parse("linux/amd64")] && !$0.expectation.isComplete })
        let worker = AuditScope(references: [try ImageReference.parse("registry-a.example/acme/worker:latest")], config: Self.config).targets
        #expect(worker.count == 2 && worker.allSatisfy { $0.expectation.platforms.count == 2 && $0.expectation.isComplete }, "the worker is configured too")
    }

    @Test func aJournalIsNeverRepublishedUnderAFamilysTopLevelImage() throws {
        let dir = try TemporaryDirectory(prefix: "gantry-repair")
        defer { dir.remove() }
        let state = StateDirectory(root: dir.url.appendingPathComponent("state"))
        let operation = RepairOperation.publishJournal(try ReleaseID("r-20261204-1"), configPath: nil)
        let error = try #require(throws: RepairError.self) { try operation.flow(config: Self.config, state: state) }
        #expect(error.reason == .familyConfig, "\(error)")
    }

    @Test func aGantryURLThatGitHubOrTheShellWouldExpandIsRefused() {
        let hex = String(repeating: "a", count: 64)
        for url in ["https://example.com/${{ github.token }}", "https://example.com/g'x", "https://example.com/a b", "http://example.com/gantry"] {
            #expect(throws: WorkflowError.self, "\(url)") { try GantryDownload(url: url, sha256: hex) }
        }
        #expect((try? GantryDownload(url: "https://example.com/releases/gantry-linux-x86_64?x=1", sha256: hex)) != nil)
    }
}
