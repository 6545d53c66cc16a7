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

    @Option(name: .customLong("only"), help: ArgumentHelp("Release only this image of the family (repeatable): acme/worker, or a variant as acme/app:slim.", valueName: "image"))
    var only: [String] = []

    func run() async throws {
        let version = try parseVersion(version)
        let config = try await options.loadConfig()
        let family = config.releasesFamily
        var flowOptions = FlowOptions(
            builder: build.builder, publisher: choices.publisher, revision: build.revision,
            allowDowngrade: choices.allowDowngrade, allowVersionRewrite: choices.allowVersionRewrite, failFast: failFast)
        guard family else {
            if !only.isEmpty { throw ValidationError("--only picks images of a family; \(config.source) has no images: list") }
            flowOptions.allowPartial = try choices.partialPlatforms()
            try await FlowFrontEnd.run(.release(config, version, flowOptions), state: options.state, trust: trust, output: output)
            return
        }
        let partial = try choices.familyPartialPlatforms()
        let request = FamilyRequest.release(config, version, FamilyOptions(flow: flowOptions, only: only, allowPartial: partial))
        try await FamilyFrontEnd.run(request, state: options.state, trust: trust, output: output)
    }
}
