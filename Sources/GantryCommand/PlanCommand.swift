import ArgumentParser
import Foundation
import GantryEngine

/// `gantry plan VERSION`: the release plan, offline.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what releasing VERSION would build, tag and run, without touching anything.",
        discussion: "Offline: no network, no build (a config that leaves its platforms to a Bake target runs `docker buildx bake --print`). Prints the platform matrix, the tag set per registry, the index annotations and the exact commands, shell-quoted."
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The version to release (semver; a leading v is stripped).")
    var version: String

    @OptionGroup var build: BuildOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() async throws {
        let version = try parseVersion(version)
        let config = try await options.loadConfig()
        let explicitBuilder = build.builder.flatMap { $0 == .auto ? nil : $0 }
        let revision = SourceRevision.resolve(build.revision, for: config)
        let plan = try ReleasePlan(config: config, version: version, state: options.state, builder: explicitBuilder, revision: revision)
        if json {
            OutputStream.standardOutput.raw(try JSONOutput.encode(plan))
        } else {
            OutputStream.standardOutput.text(PlanReport(plan: plan, autoBuilder: config.builder == .auto && explicitBuilder == nil).text)
        }
    }
}

extension BuilderChoice: ExpressibleByArgument {}
extension PublisherChoice: ExpressibleByArgument {}
