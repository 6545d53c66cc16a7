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

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            OutputStream.standardOutput.raw(Self.plainHelp)
            return
        }
        let options = self.options
        switch try await ConsoleSession.run(
            configPath: options.configPath, loadConfig: { try await options.loadConfigIfPresent() }, environment: FlowEnvironment(state: options.state, caBundle: trust.caBundle),
            terminal: NcursesTerminal()) {
        case .quit: return
        case .interrupted(let signal): throw ExitCode(128 + signal)
        case .flow(let result): try FlowFrontEnd.conclude(result)
        }
    }
}
