import ArgumentParser
import Foundation
import GantryEngine

/// `gantry ci github`: CI workflows written from the release config.
struct CICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Write CI workflows that release the config on many machines.",
        subcommands: [GitHub.self]
    )

    struct GitHub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "github",
            abstract: "Write a GitHub Actions workflow: one runner per platform pushing by digest, then one index per registry.",
            discussion: """
                Run it from the repository root: paths in the workflow (build context, Dockerfile, Bake file) are relative to it.
                Triggers: a v* tag push, or a manual run with a version. Tags follow the config's rules for that version, so CI
                and `gantry plan VERSION` agree.
                """
        )

        @OptionGroup var options: ConfigOptions

        @Option(help: ArgumentHelp("Where to write the workflow; - prints it.", valueName: "path"))
        var output = GitHubWorkflow.defaultPath

        func run() async throws {
            var config = try await options.loadSingleImageConfig(for: "ci github")
            config.source = try Self.relativeToWorkingDirectory(config.source)
            let yaml = try GitHubWorkflow(config: config).yaml()
            if output == "-" {
                print(yaml, terminator: "")
                return
            }
            try AtomicFile.write(Data(yaml.utf8), to: URL(fileURLWithPath: output), mode: 0o644)
            print("wrote \(output): \(config.platforms.count) platforms, \(config.registries.count) registries (from \(config.source))")
        }

        /// The config's path as the workflow sees it from the repository root (the working directory).
        static func relativeToWorkingDirectory(_ path: String) throws -> String {
            guard path.hasPrefix("/") else { return path }
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
            let file = URL(fileURLWithPath: path).standardizedFileURL.path
            guard file.hasPrefix(root + "/") else {
                throw ValidationError("\(path) is outside \(root): run gantry ci github from the repository root that holds the config")
            }
            return String(file.dropFirst(root.count + 1))
        }
    }
}
