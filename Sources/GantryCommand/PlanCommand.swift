import ArgumentParser
import Foundation
import GantryEngine

/// `gantry plan VERSION`: the release plan, offline.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what releasing VERSION would build, tag and run, without touching anything.",
        discussion: "Offline: no network, no docker. Prints the platform matrix, the tag set per registry and the exact commands, shell-quoted."
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The version to release (semver; a leading v is stripped).")
    var version: String

    @Option(help: ArgumentHelp("Show the commands of this builder instead of the config's.", valueName: "buildx|buildah"))
    var builder: BuilderChoice?

    @Option(help: "The source revision for org.opencontainers.image.revision (default: $GITHUB_SHA, else git HEAD of the build context).")
    var revision: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() throws {
        let version = try parseVersion(version)
        let config = try options.loadConfig()
        let explicitBuilder = builder.flatMap { $0 == .auto ? nil : $0 }
        let revision = revision ?? SourceRevision.detect(context: config.build.context, relativeTo: config.source)
        let plan = ReleasePlan(config: config, version: version, state: options.state, builder: explicitBuilder, revision: revision)
        if json {
            print(try JSONOutput.encode(plan))
        } else {
            print(PlanReport(plan: plan, autoBuilder: config.builder == .auto && explicitBuilder == nil).text, terminator: "")
        }
    }
}

extension BuilderChoice: ExpressibleByArgument {}
extension PublisherChoice: ExpressibleByArgument {}
