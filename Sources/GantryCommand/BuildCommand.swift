import ArgumentParser
import Foundation
import GantryEngine

/// `gantry build VERSION`: builds every platform, pushes each by digest, journals the digests.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build every platform of VERSION in parallel and push each by digest, without publishing a tag.",
        discussion: """
            Journals the settings and each platform's digests in <state-dir>/releases/<id>/journal.json (a \
            journal of kind build: `gantry publish ID` publishes it, `gantry resume ID` builds what is missing). \
            Exits non-zero when any platform failed or was cancelled. Ctrl-C stops every build \
            (SIGTERM, then SIGKILL to each build's process group).
            """
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The version to build (semver; a leading v is stripped).")
    var version: String

    @Option(name: .customLong("platform"), help: ArgumentHelp("Build only this platform (repeatable).", valueName: "os/arch[/variant]"))
    var platforms: [String] = []

    @OptionGroup var build: BuildOptions
    @OptionGroup var trust: CABundleOption

    @Flag(help: "Stop every other build as soon as one platform fails.")
    var failFast = false

    @Flag(help: "Print one plain line per state change (the default; kept for scripts).")
    var noTui = false

    @Flag(help: "Print one JSON event per line.")
    var json = false

    func run() async throws {
        let version = try parseVersion(version)
        let config = try await options.loadSingleImageConfig(for: "build")
        let only = try platforms.isEmpty ? nil : platforms.map { text in
            let platform = try parsePlatform(text, option: "--platform")
            guard config.platforms.contains(where: { $0.platform == platform }) else {
                throw ValidationError("--platform \(text): not a platform of \(config.source) (\(config.platforms.map(\.platform.description).joined(separator: ", ")))")
            }
            return platform
        }
        let output = ReleaseOutput(json: json)
        let request = FlowRequest.build(config, version, FlowOptions(builder: build.builder, revision: build.revision, failFast: failFast), platforms: only)
        let (outcome, signal) = try await ReleaseFlow.with(request, in: FlowEnvironment(state: options.state, caBundle: trust.caBundle), events: output.emit) { flow in
            await output.started(flow)
            return try await Interruptible.run { try await flow.run(PlainInteraction(assumeYes: false)) }
        }
        output.finished(outcome)
        try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
    }
}

/// The `--no-tui` line of a build event, or nil for events that are not state changes
/// (log lines, byte progress, finished steps).
enum BuildProgressLine {
    static func text(for event: BuildEvent) -> String? {
        let platform = event.platform.description
        switch event.kind {
        case .queued: return "\(platform) queued"
        case .started(let driver, let attempt): return "\(platform) started with \(driver)" + (attempt > 1 ? " (attempt \(attempt))" : "")
        case .stepStarted(let step): return "\(platform) step \(step.label)"
        case .stepCached(let step): return "\(platform) step \(step.label) cached"
        case .stepFailed(let step, let error): return "\(platform) step \(step.label) failed: \(error)"
        case .warning(let message): return "\(platform) warning: \(message)"
        case .pushed(let repository, let digest): return "\(platform) pushed \(repository)@\(digest)"
        case .finished(let result), .reused(let result):
            var text = "\(platform) \(event.name) \(result.manifestDigest)"
            if let attestation = result.attestationDigest { text += " (attestation \(attestation))" }
            return text
        case .failed(let failure):
            let log = failure.recentLog.map { "\(platform) | \($0)" }
            return ([failure.description] + log).joined(separator: "\n")
        case .cancelled: return "\(platform) cancelled"
        case .stepFinished, .bytes, .log: return nil
        }
    }
}
