import ArgumentParser
import GantryEngine

/// The `gantry` command: the TUI by default, plain and JSON modes for scripts and CI.
public struct GantryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gantry",
        abstract: "Release multi-architecture container images without ever publishing a broken tag.",
        version: GantryVersion.current,
        subcommands: [
            PlanCommand.self,
        ]
    )

    public init() {}
}
