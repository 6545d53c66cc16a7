import Foundation
import GantryTestSupport
import Testing

/// `gantry publish RELEASE-ID` after the repository moved on publishes the bytes the release
/// confirmed; `gantry release` of a published version refuses to rewrite it unless asked.
/// The real binary, a real registry, buildah, skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct VersionBytesCommandTests {
    @discardableResult
    func git(_ directory: URL, _ arguments: [String]) async throws -> String {
        try await runTool("git", ["-C", directory.path, "-c", "user.email=gantry@example.test", "-c", "user.name=Gantry Tests"] + arguments)
    }

    @Test("gantry publish ID after a new commit leaves every tag on the confirmed digest; a re-release needs --allow-version-rewrite")
    func republishKeepsTheBytes() async throws {
        try await withRegistries(1) { registries in
            let host = registries[0].host
            let project = try DemoProject(registries: [host], platforms: ["linux/amd64"])
            defer { project.remove() }
            let root = project.directory.url
            try project.directory.write(".gitignore", "state/\n")
            try await git(root, ["init", "-q"])
            try await git(root, ["add", "-A"])
            try await git(root, ["commit", "-q", "-m", "demo"])
            let release = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(release.status == 0, "\(release.stdout)\(release.stderr)")
            let tags = ["1.0.0", "1.0", "1", "latest"]
            let confirmed = try await Skopeo.digests(tags.map { "\(host)/gantry/demo:\($0)" })
            #expect(Set(confirmed).count == 1)
            let list = try JSONSerialization.jsonObject(with: Data(try await project.gantry(["journal", "list", "--json"]).stdout.utf8)) as? [String: Any]
            let id = try #require((list?["releases"] as? [[String: Any]])?.first?["id"] as? String)
            let show = try await project.gantry(["journal", "show", id])
            #expect(show.stdout.contains("index: \(confirmed[0]) ("), "the confirmed index is journaled: \(show.stdout)")

            try project.directory.write("demo/NOTES", "the next commit\n")
            try await git(root, ["add", "-A"])
            try await git(root, ["commit", "-q", "-m", "next"])
            let republish = try await project.gantry(["publish", id, "--no-tui", "--yes"])
            #expect(republish.status == 0, "\(republish.stdout)\(republish.stderr)")
            #expect(try await Skopeo.digests(tags.map { "\(host)/gantry/demo:\($0)" }) == confirmed, "no tag moved: \(republish.stdout)")

            let again = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes", "--revision", "0123456789abcdef0123456789abcdef01234567"])
            #expect(again.status != 0)
            #expect((again.stdout + again.stderr).contains("--allow-version-rewrite"), "\(again.stdout)\(again.stderr)")
            #expect(try await Skopeo.digests(tags.map { "\(host)/gantry/demo:\($0)" }) == confirmed)

            let rewrite = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes", "--allow-version-rewrite", "--revision", "0123456789abcdef0123456789abcdef01234567"])
            #expect(rewrite.status == 0, "\(rewrite.stdout)\(rewrite.stderr)")
            let rewritten = try await Skopeo.digest("\(host)/gantry/demo:1.0.0")
            #expect(rewritten != confirmed[0])
        }
    }
}
