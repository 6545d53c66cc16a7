import Foundation
import GantryTestSupport
import Testing

/// The built-in `--version` belongs to Gantry on every command; the release version of
/// `audit` and `publish` is `--release-version`, so the two never collide.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct VersionAndHelpTests {
    @Test(arguments: [[], ["audit"], ["publish"], ["ci", "github"]])
    func versionPrintsGantrysVersionAndCommit(_ command: [String]) async throws {
        let result = try await GantryBinary.run(command + ["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.wholeMatch(of: /\d+\.\d+\.\d+ \(commit [^)]+\)\n/) != nil, "\(result.stdout)")
    }

    @Test(arguments: ["audit", "publish"])
    func helpListsVersionOnceAndTheReleaseVersionOption(_ command: String) async throws {
        let help = try await GantryBinary.run([command, "--help"])
        #expect(help.status == 0)
        let options = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(options.filter { $0.hasPrefix("--version") }.count == 1, "\(help.stdout)")
        #expect(options.contains { $0.hasPrefix("--release-version <version>") })
    }

    @Test func aMissingReleaseVersionIsNamed() async throws {
        let result = try await GantryBinary.run(["publish", "--digest", "linux/amd64=sha256:" + String(repeating: "a", count: 64)])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--release-version is required with --from-metadata, --from-digests and --digest"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsCoverTheSubcommands(_ shell: String) async throws {
        let result = try await GantryBinary.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for subcommand in ["plan", "audit", "release", "publish", "ci", "journal"] {
            #expect(result.stdout.contains(subcommand), "\(shell) completion lacks \(subcommand)")
        }
        #expect(result.stdout.contains("--release-version"))
        if shell == "bash" {
            let file = try TemporaryDirectory(prefix: "gantry-completion")
            defer { file.remove() }
            let syntax = try await runToolToEnd("bash", ["-n", try file.write("gantry.bash", result.stdout)])
            #expect(syntax.status == 0, "\(syntax.stderr)")
        }
    }
}
