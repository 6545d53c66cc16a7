import ArgumentParser
import GantryEngine

/// The `gantry` command: the TUI by default, plain and JSON modes for scripts and CI.
public struct GantryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gantry",
        abstract: "Release multi-architecture container images without ever publishing a broken tag.",
        version: GantryVersion.description,
        subcommands: [
            PlanCommand.self,
            AuditCommand.self,
            BuildCommand.self,
            ReleaseCommand.self,
            PublishCommand.self,
            ResumeCommand.self,
            JournalCommand.self,
            CICommand.self,
            RollbackCommand.self,
            ConsoleCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    public init() {}
}

extension GantryCommand {
    /// Parses the command line and runs the command it names. Called from an async
    /// context so ArgumentParser's async `main()` is chosen (the sync one refuses async subcommands).
    public static func start() async { await main() }
}
