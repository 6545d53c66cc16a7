import ArgumentParser
import Foundation
import GantryEngine

/// `gantry promote VERSION --from HOST`: a release verified in one registry, copied by
/// digest to the others and published there.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Copy a release verified in one registry, by digest, to the other configured registries, then publish it there.",
        discussion: """
            Release to a staging registry, test, promote:
              gantry promote 1.2.3 --from staging.example.com:5000
              gantry promote 1.2.3 --from ghcr.io --to docker.io
            What VERSION's tag points to in --from must be a whole release (an index of exactly the \
            config's platforms). It is copied under the same digest (every platform, attestation, \
            config and layer) to the registries named by --to, else to every configured registry \
            but --from; then the pending tag set, the confirmation, publication and verification \
            follow as for a release, journaled as kind `promote` (resumable with `gantry resume ID`).
            A family config (images: or a Bake group) promotes every image of the family as one: one pending \
            set and confirmation, and no tag of any image moves before every image's index is in every registry.
            Exit status: 0 when every tag verified, 1 otherwise.
            """
    )

    @Argument(help: "The version to promote.")
    var version: String

    @Option(help: ArgumentHelp("The registry holding the verified release (need not be a configured one).", valueName: "host"))
    var from: String

    @Option(help: ArgumentHelp("A configured registry to promote to (repeatable; default: every configured one but --from).", valueName: "host"))
    var to: [String] = []

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: FlowOutputOptions
    @OptionGroup var trust: CABundleOption

    @OptionGroup var moves: TagMoveOptions

    @Option(name: .customLong("only"), help: ArgumentHelp("Promote only this image of the family (repeatable): acme/worker, or a variant as acme/app:slim.", valueName: "image"))
    var only: [String] = []

    func run() async throws {
        let version = try parseVersion(version)
        let config = try await options.loadConfig()
        let flow = FlowOptions(allowDowngrade: moves.allowDowngrade, allowVersionRewrite: moves.allowVersionRewrite)
        if config.releasesFamily {
            // Every image of the family, with one confirmation; no tag moves until every image's index is in every registry.
            let request = FamilyRequest.promote(config, version, from: from, to: to.isEmpty ? nil : to, FamilyOptions(flow: flow, only: only))
            try await FamilyFrontEnd.run(request, state: options.state, trust: trust, output: output)
            return
        }
        if !only.isEmpty { throw ValidationError("--only picks images of a family; \(config.source) has no images: list") }
        let request = FlowRequest.promote(config, version, from: from, to: to.isEmpty ? nil : to, flow)
        try await FlowFrontEnd.run(request, state: options.state, trust: trust, output: output)
    }
}
