import ArgumentParser
import Foundation
import GantryEngine
import GantryTUI

/// Runs a family release (Family/ in the engine) in the console (its screens grouped by
/// image), or as plain or JSON lines: each member's events with the member's name, the
/// family's one pending set and question, and how each member ended. The engine decides;
/// this only shows and asks.
enum FamilyFrontEnd {
    static func run(_ request: FamilyRequest, state: StateDirectory, trust: CABundleOption, output options: FlowOutputOptions) async throws {
        let environment = FlowEnvironment(state: state, caBundle: trust.caBundle)
        if options.usesConsole {
            try FlowFrontEnd.conclude(try await FamilyConsole.run(request, in: environment))
            return
        }
        try ConfirmPrompt.requireAnswerable(assumeYes: options.yes, action: "publish what the family release shows")
        let output = ReleaseOutput(json: options.json)
        let (outcome, signal) = try await Interruptible.run {
            try await FamilyRelease.run(request, in: environment, interaction: PlainInteraction(assumeYes: options.yes), events: output.emit)
        }
        output.finished(outcome)
        try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
    }
}

extension ReleaseOutput {
    /// A family event: a member's lines carry its name.
    func emit(_ event: FamilyEvent) {
        guard let member = event.member else { return emit(event.event) }
        if json {
            guard let line = jsonLine(event.event) else { return }
            // The member's name first, then the event's own fields.
            let name = JSONOutput.line(["member": member])
            Self.json(String(name.dropLast()) + "," + String(line.dropFirst()))
        } else if let line = plainLine(event.event) {
            Self.text(line.split(separator: "\n", omittingEmptySubsequences: false).map { "\(member): \($0)" }.joined(separator: "\n"))
        }
    }

    /// How each member ended, then the family and the next command.
    func finished(_ outcome: FamilyOutcome) {
        if json {
            Self.json(JSONOutput.line(FamilyFinished(
                family: outcome.id.rawValue, succeeded: outcome.succeeded, next: outcome.next,
                members: outcome.members.map {
                    FamilyFinished.Member(
                        member: $0.name, id: $0.outcome?.journal.id.rawValue, stage: $0.outcome?.stage.rawValue,
                        phase: $0.outcome?.journal.phase.rawValue, succeeded: $0.outcome?.succeeded ?? false, error: $0.error?.message)
                })))
            return
        }
        var lines = outcome.members.map { member -> String in
            if let error = member.error { return "\(member.name): stopped: \(error.message)" }
            guard let flow = member.outcome else { return "\(member.name): did not run" }
            let tags = flow.stage == .verified ? " (\(flow.journal.tags.joined(separator: " ")))" : ""
            return "\(member.name): \(flow.journal.id) \(flow.stage.rawValue)\(tags)"
        }
        lines.append("family \(outcome.id): \(outcome.succeeded ? "every image published and verified" : "not every image is published")"
            + (outcome.next.map { "; next: \($0)" } ?? ""))
        Self.text(lines.joined(separator: "\n"))
    }

    /// How a family rollback ended.
    func finished(_ outcome: FamilyRollback.Outcome) {
        if json {
            Self.json(JSONOutput.line(FamilyRolledBack(
                family: outcome.id.rawValue, succeeded: outcome.succeeded, refusal: outcome.refusal?.reason,
                members: outcome.members.map { FamilyRolledBack.Member(member: $0.name, id: $0.journal?.id.rawValue, phase: $0.journal?.phase.rawValue) })))
        } else if outcome.members.isEmpty {
            Self.text(outcome.refusal?.reason ?? "not confirmed; nothing changed")
        } else {
            Self.text((outcome.members.map { "\($0.name): rollback \($0.journal.map { "\($0.id) \($0.phase.rawValue)" } ?? "not needed")" }
                + ["family rollback \(outcome.id): \(outcome.succeeded ? "every tag is back" : "not every tag is back")"]).joined(separator: "\n"))
        }
    }

    private struct FamilyRolledBack: Encodable {
        var event = "outcome"
        var family: String
        var succeeded: Bool
        var refusal: String?
        var members: [Member]
        struct Member: Encodable { var member: String, id: String?, phase: String? }
    }

    private struct FamilyFinished: Encodable {
        var event = "outcome"
        var family: String
        var succeeded: Bool
        var next: String?
        var members: [Member]

        struct Member: Encodable {
            var member: String
            var id: String?, stage: String?, phase: String?
            var succeeded: Bool
            var error: String?
        }
    }
}
