import ArgumentParser
import Foundation
import GantryEngine

/// `gantry release VERSION`: build → pending tag set → confirm → publish → verify.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Build every platform, show the pending tag set, and publish one index per registry once you confirm.",
        discussion: """
            Every setting and state change is journaled in <state-dir>/releases/<id>/journal.json; an \
            interrupted release continues with `gantry resume`. Exit status: 0 when every tag verified, 1 otherwise.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var choices: PublishChoiceOptions
    @OptionGroup var output: FlowOutputOptions
    @OptionGroup var trust: CABundleOption

    @Argument(help: "The version to release (semver; a leading v is stripped).")
    var version: String

    @OptionGroup var build: BuildOptions

    @Flag(help: "Stop every other build as soon as one platform fails.")
    var failFast = false

    func run() async throws {
        let version = try parseVersion(version)
        let config = try await options.loadConfig()
        let flowOptions = FlowOptions(
            builder: build.builder, publisher: choices.publisher, revision: build.revision,
            allowPartial: try choices.partialPlatforms(), allowDowngrade: choices.allowDowngrade,
            allowVersionRewrite: choices.allowVersionRewrite, failFast: failFast)
        try await FlowFrontEnd.run(.release(config, version, flowOptions), state: options.state, trust: trust, output: output)
    }
}
