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
        if config.releasesFamily {
            try await family(config, version: version, builder: explicitBuilder, revision: revision)
            return
        }
        let plan = try ReleasePlan(config: config, version: version, state: options.state, builder: explicitBuilder, revision: revision)
        if json {
            OutputStream.standardOutput.raw(try JSONOutput.encode(plan))
        } else {
            OutputStream.standardOutput.text(PlanReport(plan: plan, autoBuilder: config.builder == .auto && explicitBuilder == nil).text)
        }
    }

    /// Every image's plan, in config order, each published by Gantry itself (see `FamilyRelease`).
    private func family(_ written: ReleaseConfig, version: SemanticVersion, builder: BuilderChoice?, revision: String?) async throws {
        let family = ImageFamily(try await ImageFamily.resolvingBakeGroup(written))
        var plans: [FamilyPlan] = []
        for member in family.members {
            let config = try await member.config.resolvingBakePlatforms()
            plans.append(FamilyPlan(member: member.name, plan: try ReleasePlan(
                config: config, version: version, state: options.state, builder: builder, publisher: .native, revision: revision)))
        }
        if json {
            OutputStream.standardOutput.raw(try JSONOutput.encode(["images": plans]))
            return
        }
        let autoBuilder = written.builder == .auto && builder == nil
        let sections = plans.map { "== \($0.member) ==\n" + PlanReport(plan: $0.plan, autoBuilder: autoBuilder).text }
        let summary = "family of \(plans.count): \(plans.map(\.member).joined(separator: ", ")); every index is pushed by digest to every registry before the first tag of any image moves, with one confirmation for all"
        OutputStream.standardOutput.text(([summary] + sections).joined(separator: "\n"))
    }

    private struct FamilyPlan: Encodable {
        var member: String
        var plan: ReleasePlan
    }
}

extension BuilderChoice: ExpressibleByArgument {}
extension PublisherChoice: ExpressibleByArgument {}
