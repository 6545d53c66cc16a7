import Foundation
import GantryEngine

/// Runs a tag flow as plain or JSON lines, answered on the terminal or by `--yes`: `gantry
/// tag`, and `gantry resume` of a tag journal.
enum TagFrontEnd {
    static func run(_ start: TagFlow.Start, state: StateDirectory, yes: Bool, json: Bool, client: RegistryClient?, caBundle: String? = nil) async throws {
        try ConfirmPrompt.requireAnswerable(assumeYes: yes, action: "move the tags")
        let output = ReleaseOutput(json: json)
        let environment = FlowEnvironment(state: state, client: client, caBundle: caBundle)
        let (outcome, signal) = try await TagFlow.with(start, in: environment, events: output.emit) { flow in
            await output.started(flow)
            return try await Interruptible.run { try await flow.run(PlainInteraction(assumeYes: yes)) }
        }
        output.finished(outcome)
        try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
    }
}
