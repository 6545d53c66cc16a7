import ArgumentParser
import Foundation
import GantryEngine

/// `gantry rollback ID`: points every tag a release moved back to its previous digest.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Point every tag a release moved back to the digest it had before.",
        discussion: """
            Shows the tags that go back (now → previous) and asks y/N on a terminal; without a \
            terminal it needs --yes. Tags the release created are listed, never deleted; tags \
            moved since by someone else are left alone. Each tag is re-checked just before it \
            is written and read back afterwards; the rollback gets its own journal.

            Exit status: 0 rolled back (or nothing to roll back); 1 declined, a registry failed, or an error.
            """
    )

    @Argument(help: "The release id to roll back (see `gantry journal list`).")
    var id: String

    @Option(name: .long, help: ArgumentHelp("Where releases are journaled.", discussion: "Default: $XDG_STATE_HOME/gantry, else ~/.local/state/gantry.", valueName: "path"))
    var stateDir: String?

    @Flag(help: "Roll back without asking (needed without a terminal).")
    var yes = false

    @Flag(help: "Print JSON lines: the plan, each registry's result, the final phase.")
    var json = false

    func run() async throws {
        let store = JournalStore(state: StateDirectory(explicit: stateDir))
        let release = try store.load(ReleaseID(rawValue: id))
        let code = try await RegistryClient.with(RegistryClientConfiguration(
            insecureHosts: Set(release.registries.filter(\.insecure).map(\.host)))) { client in
            try await rollBack(release, store: store, client: client)
        }
        if code != .success { throw code }
    }

    private func rollBack(_ release: ReleaseJournal, store: JournalStore, client: RegistryClient) async throws -> ExitCode {
        let output = ReleaseOutput(json: json)
        let plan = try await RollbackPlanner(client: client).plan(release)
        if json {
            ReleaseOutput.write(try JSONOutput.encode(PlanLine(release: release.id.rawValue, pending: plan.pending, created: plan.created), pretty: false))
        } else {
            ReleaseOutput.write("rollback of \(release.id)\n" + PendingTagSetText.render(plan.pending) + RollbackText.created(plan.created))
        }
        guard plan.hasChanges else {
            output.say("nothing to roll back: no tag still points at what \(release.id) published")
            return .success
        }
        let count = plan.pending.rows.filter { $0.change == .move }.count
        try ConfirmPrompt.requireAnswerable(assumeYes: yes, action: "roll back")
        guard yes || ConfirmPrompt.ask("Point \(count) tags back to their previous digests?") else {
            output.say("not confirmed; nothing changed")
            return .failure
        }
        let journal = try await Interruptible.run {
            // Registry results only: the final line says how the rollback ended.
            try await Rollback(client: client, store: store, onEvent: { if case .registry = $0 { output.emit($0) } })
                .run(Confirmation(confirming: plan.pending), of: release)
        }
        if json {
            ReleaseOutput.write(try JSONOutput.encode(["event": "rollback", "id": journal.id.rawValue, "phase": journal.phase.rawValue], pretty: false))
        } else {
            output.say("rollback \(journal.id): \(journal.phase.rawValue)")
        }
        return journal.phase == .verified ? .success : .failure
    }

    /// The first JSON line: `{"event": "rollback-plan", "release": ID, "pending": {...}, "created": [...]}`.
    private struct PlanLine: Encodable {
        var event = "rollback-plan"
        var release: String
        var pending: PendingTagSet
        var created: [ReleaseJournal.TagSnapshot]
    }
}

/// The created tags a rollback keeps, as text.
enum RollbackText {
    static func created(_ created: [ReleaseJournal.TagSnapshot]) -> String {
        guard !created.isEmpty else { return "" }
        return "Created by the release (kept: a rollback deletes no tag)\n"
            + TextTable.render([["REGISTRY", "TAG"]] + created.map { [$0.registry, $0.tag] })
    }
}
