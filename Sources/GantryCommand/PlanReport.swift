import GantryEngine

/// The human-readable form of a release plan.
struct PlanReport {
    var plan: ReleasePlan
    /// The config said `builder: auto`, so the machine decides at release time.
    var autoBuilder: Bool

    var text: String {
        var out = "Release plan: \(plan.image) \(plan.version)\(plan.prerelease ? " (prerelease: only the exact version tag)" : "")\n"
        out += "Config: \(plan.source)    Release id: \(plan.releaseID)\n\n"

        out += "Platforms\n"
        out += TextTable.render([["PLATFORM", "BUILDER", "DRIVER"]] + plan.platforms.map {
            [$0.platform.description, $0.builder ?? "(default)", $0.driver.rawValue]
        })
        out += "\nTags\n"
        out += TextTable.render([["REGISTRY", "REPOSITORY", "TAGS"]] + plan.registries.map {
            [$0.host + ($0.plainHTTP ? " (http)" : ""), $0.repository, $0.tags.joined(separator: " ")]
        })
        out += "\nIndex annotations\n"
        out += TextTable.render([["KEY", "VALUE"]] + plan.annotations.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
        out += "\nBuild: one per platform, pushed by digest, no tag\n"
        for step in plan.builds { out += line(step) }
        out += "\nPublish: once per registry, every tag and every platform digest at once, never --append\n"
        for step in plan.publishes { out += line(step) }
        if autoBuilder {
            out += "\nbuilder: auto: buildx and imagetools when `docker buildx version` works at release time, else buildah and the native publisher (see `gantry plan --builder buildah`).\n"
        }
        return out
    }

    private func line(_ step: ReleasePlan.PlannedStep) -> String {
        step.argv.isEmpty ? "  # \(step.summary)\n" : "  \(step.shell)\n"
    }
}
