import ArgumentParser
import Foundation
import GantryEngine

/// `gantry rollback ID`: points every tag a release moved back to its previous digest;
/// `gantry rollback REF`: one tag, back to where its release record says it was.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Point every tag a release moved back to the digest it had before.",
        discussion: """
            Shows the tags that go back (now → previous) and asks y/N on a terminal; without a \
            terminal it needs --yes. Tags the release created are listed, never deleted; tags \
            moved since by someone else are left alone. Each tag is re-checked just before it \
            is written and read back afterwards; the rollback gets its own journal. A release \
            that is still running is refused.

            Exit status: 0 rolled back (or nothing left to roll back); 1 declined, a registry failed, or an \
            error; 2 a journal with nothing a rollback could move back (a build, a rollback, a release \
            that published no index or only created tags).
            """
    )

    @Argument(help: "The release id to roll back (see `gantry journal list`), or a tag (REGISTRY/REPO:TAG) to move back per its release records.")
    var id: String

    @Option(help: ArgumentHelp("With a tag: the digest to go back to, from gantry history.", valueName: "digest"))
    var to: String?

    @OptionGroup var options: StateOptions
    @OptionGroup var trust: CABundleOption

    @Flag(help: "Roll back without asking (needed without a terminal).")
    var yes = false

    @Flag(help: "Print JSON lines: the plan, each registry's result, the outcome.")
    var json = false

    func run() async throws {
        try ConfirmPrompt.requireAnswerable(assumeYes: yes, action: "roll back")
        let output = ReleaseOutput(json: json)
        let environment = FlowEnvironment(state: options.state, caBundle: trust.caBundle)
        // A release id is one name; a tag has a registry and a repository.
        if id.contains("/"), let reference = try? ImageReference.parse(id) {
            guard reference.tag != nil else { throw ValidationError("\(id): name a tag, such as \(reference.name):latest") }
            if let to, !Digest.isValid(to) { throw ValidationError("--to \(to): not a digest (sha256:<64 hex>)") }
            output.say("rollback of \(reference) from its release records")
            let (outcome, signal) = try await Interruptible.run {
                try await RegistryRollback.run(reference, to: to, in: environment, interaction: PlainInteraction(assumeYes: yes), events: output.emit)
            }
            output.finished(outcome)
            try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
            return
        }
        if to != nil { throw ValidationError("--to goes with a tag (REGISTRY/REPO:TAG), not a release id") }
        // A family's id (or a member's) rolls every image back together.
        if let family = FamilyJournals.family(of: try ReleaseID(id), in: JournalStore(state: options.state)) {
            output.say("rollback of the family \(family)")
            let (outcome, signal) = try await Interruptible.run {
                try await FamilyRollback.run(family, in: environment, interaction: PlainInteraction(assumeYes: yes), events: output.emit)
            }
            output.finished(outcome)
            try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
            return
        }
        let (outcome, signal) = try await RollbackFlow.with(ReleaseID(id), in: environment, events: output.emit) { flow in
            output.say("rollback of \(flow.release.id)")
            return try await Interruptible.run { try await flow.run(PlainInteraction(assumeYes: yes)) }
        }
        output.finished(outcome)
        try ExitStatus.conclude(succeeded: outcome.succeeded, signal: signal)
    }
}
