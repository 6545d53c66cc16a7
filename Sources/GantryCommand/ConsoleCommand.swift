import ArgumentParser
import Foundation
import GantryEngine
import GantryTUI

/// `gantry` with no arguments: the console's home screen (release, audit, recover).
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console: release, audit, recover (what `gantry` with no arguments does).",
        discussion: """
            Needs a terminal on stdin and stdout; without one it prints a short help and exits 0.
            The release itself opens with `gantry release VERSION`.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var trust: CABundleOption

    static let plainHelp = """
        gantry: no terminal, so no console. Commands:
          gantry plan VERSION        what a release would do
          gantry release VERSION     build, confirm and publish (add --no-tui --yes for scripts)
          gantry audit REF...        what tags point to, in every registry
          gantry resume ID           continue an interrupted release
          gantry --help              everything else

        """

    /// The config the home screen had (the console needs one to start a release or publish),
    /// else the error of loading it.
    private func loaded(_ config: ReleaseConfig?) async throws -> ReleaseConfig {
        if let config { return config }
        return try await options.loadConfig()
    }

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            OutputStream.standardOutput.raw(Self.plainHelp)
            return
        }
        // The home screen works without a config (audit and recover need none); one that
        // does not load is shown there with its problems.
        let config: ReleaseConfig?
        let configError: RecordedError?
        do { (config, configError) = (try await options.loadConfigIfPresent(), nil) } catch { (config, configError) = (nil, RecordedError(error)) }
        switch try await HomeConsole.run(config: config, configError: configError, configPath: options.configPath, state: options.state, caBundle: trust.caBundle) {
        case .interrupted(let signal): throw ExitCode(128 + signal)
        case .quit: break
        case .resume(let id):
            // Recover → Enter: continue the release in the release console, as `gantry resume ID` does.
            try await FlowFrontEnd.run(.resume(ReleaseID(id), config: nil), state: options.state, trust: trust, output: try FlowOutputOptions.parse([]))
        case .repair(let operation):
            // Audit → Enter on a finding: the engine's repair runs as its flow in the release console.
            try await FlowFrontEnd.run(try operation.request(config: config, state: options.state), state: options.state, trust: trust, output: try FlowOutputOptions.parse([]))
        case .release(let version):
            // Home → Release: the version was validated there; the release console takes over.
            try await FlowFrontEnd.run(.release(try await loaded(config), try parseVersion(version), FlowOptions()), state: options.state, trust: trust, output: try FlowOutputOptions.parse([]))
        case .publish(let version, let sources):
            // Journal/Recover → D: the digests were read and checked there; publish them as
            // `gantry publish --release-version V --from-digests PATH` would.
            try await FlowFrontEnd.run(.publish(try await loaded(config), try parseVersion(version), sources: sources, FlowOptions()),
                                       state: options.state, trust: trust, output: try FlowOutputOptions.parse([]))
        }
    }
}
