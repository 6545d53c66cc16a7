import ArgumentParser
import Foundation
import GantryEngine

/// The `gantry` command: the TUI by default, plain and JSON modes for scripts and CI.
public struct GantryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gantry",
        abstract: "Release multi-architecture container images without ever publishing a broken tag.",
        discussion: """
            Exit status, for every command: 0 success; 1 the operation failed, was declined or found \
            problems; 2 bad input (arguments, config, journal, files) or a registry that cannot be \
            reached; 128+N when signal N (INT, TERM, HUP) interrupted it.
            """,
        version: GantryVersion.description,
        subcommands: [
            PlanCommand.self,
            AuditCommand.self,
            BuildCommand.self,
            ReleaseCommand.self,
            PublishCommand.self,
            PromoteCommand.self,
            TagCommand.self,
            CopyCommand.self,
            ResumeCommand.self,
            JournalCommand.self,
            CICommand.self,
            RollbackCommand.self,
            HistoryCommand.self,
            ConsoleCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    public init() {}
}

extension GantryCommand {
    /// Parses the command line and runs the command it names, with one exit status scheme
    /// (`ExitStatus`). Parse errors print the usage; errors of a run print one sanitised
    /// line, never the usage. A closed stdout never stops a release: SIGPIPE is ignored
    /// and writes that fail just end the output.
    public static func start() async -> Never {
        signal(SIGPIPE, SIG_IGN)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // --help and --version exit 0 through here; bad arguments get the usage and 2.
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            OutputStream.standardError.text(fullMessage(for: error))
            Foundation.exit(ExitStatus.badInput)
        }
        do {
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            // A command with subcommands run bare, and help asked for inside a run, exit 0.
            if exitCode(for: error) == .success { exit(withError: error) }
            let code = ExitStatus.code(for: error)
            if !(error is ExitCode) {
                OutputStream.standardError.text("gantry: error: \(message(for: error))")
            }
            Foundation.exit(code)
        }
    }

    private static func message(for error: any Error) -> String {
        if let validation = error as? ValidationError { return validation.message }
        if let interrupted = error as? InterruptedError { return "interrupted: \(message(for: interrupted.underlying))" }
        return String(describing: error)
    }
}
