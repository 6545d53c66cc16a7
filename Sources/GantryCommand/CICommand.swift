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

        @Option(help: ArgumentHelp("A family's publish job runs Gantry: the https:// URL of the Linux gantry binary to download (scripts/install.sh builds it).", valueName: "url"))
        var gantryUrl: String?

        @Option(help: ArgumentHelp("The sha256 of that binary: the job refuses any other.", valueName: "hex"))
        var gantrySha256: String?

        func run() async throws {
            var config = try await options.loadConfig()
            config.source = try Self.relativeToWorkingDirectory(config.source)
            let workflow: GitHubWorkflow
            if config.releasesFamily {
                guard let gantryUrl, let gantrySha256 else {
                    throw ValidationError("\(config.source) is a family of images: its publish job runs Gantry itself, pinned; pass --gantry-url URL --gantry-sha256 HEX of a Linux gantry binary (scripts/install.sh builds one)")
                }
                let family = try await ImageFamily.resolving(config, environment: ProcessInfo.processInfo.environment)
                workflow = GitHubWorkflow(family: family, gantry: try GantryDownload(url: gantryUrl, sha256: gantrySha256))
            } else {
                guard gantryUrl == nil, gantrySha256 == nil else {
                    throw ValidationError("--gantry-url and --gantry-sha256 are for a family's workflow (its publish job runs Gantry); \(config.source) releases one image, published with imagetools")
                }
                workflow = GitHubWorkflow(config: config)
            }
            let yaml = try workflow.yaml()
            if output == "-" {
                print(yaml, terminator: "")
                return
            }
            try AtomicFile.write(Data(yaml.utf8), to: URL(fileURLWithPath: output), mode: 0o644)
            let builds = workflow.family.isEmpty ? "\(config.platforms.count) platforms" : "\(workflow.family.count) images, \(workflow.family.reduce(0) { $0 + $1.config.platforms.count }) image × platform builds"
            print("wrote \(output): \(builds), \(config.registries.count) registries (from \(config.source))")
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
