import ArgumentParser
import Foundation
import GantryEngine
import GantryTUI

/// Runs a flow with the console on a terminal, or as plain or JSON lines for scripts and
/// CI. It only picks where the flow's events go and who answers; the flow decides.
enum FlowFrontEnd {
    static func run(_ request: FlowRequest, state: StateDirectory, trust: CABundleOption, output options: FlowOutputOptions) async throws {
        // A tag journal goes on as the `gantry tag` it recorded.
        if case .resume(let id?, _) = request, TagFlow.resumes(id, in: state) {
            try await TagFrontEnd.run(.resume(id), state: state, yes: options.yes, json: options.json, client: nil, caBundle: trust.caBundle)
            return
        }
        // A family's id (or a member's) goes on as the whole family: no image publishes alone.
        if case .resume(let id?, _) = request, let family = FamilyJournals.family(of: id, in: JournalStore(state: state)) {
            try await FamilyFrontEnd.run(.resume(family), state: state, trust: trust, output: options)
            return
        }
        let environment = FlowEnvironment(state: state, caBundle: trust.caBundle)
        if options.usesConsole {
            try conclude(try await ReleaseConsole.run(request, in: environment))
            return
        }
        // Refuse before building: the question at the end could not be answered.
        try ConfirmPrompt.requireAnswerable(assumeYes: options.yes, action: "publish what the release shows")
        let output = ReleaseOutput(json: options.json)
        let interaction = PlainInteraction(assumeYes: options.yes)
        let (outcome, signal) = try await ReleaseFlow.with(request, in: environment, events: output.emit) { flow in
            await output.started(flow)
            return try await Interruptible.run { try await flow.run(interaction) }
        }
        output.finished(outcome)
        try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
    }
}

extension FlowFrontEnd {
    /// After the console closed: the outcome as plain text on the restored terminal, and the exit status.
    static func conclude(_ result: ReleaseConsole.Result) throws {
        if let outcome = result.outcome { ReleaseOutput(json: false).finished(outcome) }
        if let family = result.family { ReleaseOutput(json: false).finished(family) }
        if let error = result.error { throw FlowFailure(error) }
        try ExitStatus.conclude(succeeded: result.outcome?.succeeded ?? result.family?.succeeded ?? false, signal: result.signal)
    }
}

/// A flow the console ran that stopped with an error; printed as it is, without the usage text.
struct FlowFailure: ClassifiedError {
    var recorded: RecordedError
    init(_ recorded: RecordedError) { self.recorded = recorded }
    var code: String { recorded.kind }
    var description: String { recorded.message }
}

/// Answers the flow on the terminal (or from `--yes`): the pending tag set was printed
/// by the output before the question.
struct PlainInteraction: ReleaseInteraction {
    var assumeYes: Bool

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        .stop
    }

    /// Ctrl-C or the end of input at the question declines.
    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        if assumeYes { return .confirmed(.assumed(request.pending)) }
        switch request.requirement {
        case .yes:
            let question = switch request.purpose {
            case .publish: "Publish these tags?"
            case .rollback: "Point these tags back to their previous digests?"
            case .tag: "Move these tags?"
            }
            return await ConfirmPrompt.ask(question) ? .confirmed(Confirmation(confirming: request.pending)) : .declined
        case .typedVersion(let version):
            let typed = await ConfirmPrompt.read("Existing tags move. Type \(version) to publish them (anything else declines): ")
            return typed == version ? .confirmed(Confirmation(confirming: request.pending, typedVersion: typed)) : .declined
        }
    }
}
