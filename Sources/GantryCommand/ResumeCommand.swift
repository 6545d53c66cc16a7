import ArgumentParser
import Foundation
import GantryEngine

/// `gantry resume [ID]`: continues an interrupted release with the settings it started with.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted release: rebuild only what is missing, recompute and confirm the pending tags, publish what is not verified.",
        discussion: """
            Without ID, the newest unfinished release in the state folder that no process is running. \
            The release runs strictly with the settings its journal recorded (config, builder, publisher, \
            revision, --allow-partial, --allow-downgrade); a config changed since is reported, not used. \
            A release another process is running is refused.
            """
    )

    @OptionGroup var options: StateOptions
    @OptionGroup var output: FlowOutputOptions
    @OptionGroup var trust: CABundleOption

    @Option(name: .long, help: ArgumentHelp("Check that the release was started with this config (it always resumes with the one it recorded).", valueName: "path"))
    var config: String?

    @Argument(help: "The release id (see `gantry journal list`).")
    var id: String?

    func run() async throws {
        try await FlowFrontEnd.run(.resume(id.map { try ReleaseID($0) }, config: config), state: options.state, trust: trust, output: output)
    }
}
