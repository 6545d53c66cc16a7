import Foundation

/// Rolling a family release back as one: every member that moved tags gets its preview, the
/// user confirms one set of every image's tags, and each member's tags go back (each
/// re-checked before its write and read back, as one release's rollback is). The members'
/// rollback journals are linked as one family rollback; every member's release is locked
/// for the whole run.
public enum FamilyRollback {
    public struct Outcome: Sendable {
        public var id: ReleaseID
        /// Each member's rollback journal, when it ran.
        public var members: [(name: String, journal: ReleaseJournal?)]
        /// Why nothing was written, when nothing could be.
        public var refusal: FlowRefusal?

        /// Every member's tags are back (a member with none to move needed no rollback); false
        /// when declined or a registry failed.
        public var succeeded: Bool {
            refusal != nil || (!members.isEmpty && members.allSatisfy { $0.journal.map { $0.phase == .verified } ?? true })
        }
    }

    /// Rolls the family release `id` back.
    public static func run(
        _ id: ReleaseID, in environment: FlowEnvironment, interaction: some ReleaseInteraction,
        events: @escaping @Sendable (FamilyEvent) -> Void = { _ in }
    ) async throws -> Outcome {
        let store = JournalStore(state: environment.state)
        let releases = try FamilyJournals.members(of: id, in: store).filter { $0.kind != .rollback }
        guard !releases.isEmpty else { throw FlowError(.notRollbackable, "no family release \(id) in \(environment.state.root.path)") }
        let locks = try releases.map { try Rollback.lock($0.id, in: environment.state) }
        defer { for lock in locks { lock.release() } }
        let rollable = releases.filter { RollbackFlow.refusal(of: $0) == nil }
        guard !rollable.isEmpty else {
            throw FlowError(.notRollbackable, "family \(id): " + releases.compactMap { RollbackFlow.refusal(of: $0) }.joined(separator: "; "))
        }
        if let client = environment.client {
            return try await run(id, rollable, client: client, store: store, interaction: interaction, events: events)
        }
        let configuration = try RegistryClientConfiguration(registries: rollable[0].registries, caBundle: environment.caBundle)
        return try await RegistryClient.with(configuration, credentials: environment.credentials ?? .fromDockerConfig()) { client in
            try await run(id, rollable, client: client, store: store, interaction: interaction, events: events)
        }
    }

    private static func run(
        _ id: ReleaseID, _ releases: [ReleaseJournal], client: RegistryClient, store: JournalStore, interaction: some ReleaseInteraction,
        events: @escaping @Sendable (FamilyEvent) -> Void
    ) async throws -> Outcome {
        let name = { (journal: ReleaseJournal) in journal.family?.member ?? journal.image }
        var plans: [(journal: ReleaseJournal, plan: RollbackPlan)] = []
        for journal in releases { plans.append((journal, try await RollbackPlanner(client: client).plan(journal))) }
        let requests = plans.map { (name($0.journal), ConfirmationRequest(pending: $0.plan.pending, requirement: .yes, version: $0.journal.version, purpose: .rollback)) }
        let merged = FamilyConfirmation.merge(requests)
        events(FamilyEvent(member: nil, .pending(merged)))
        guard plans.contains(where: { $0.plan.hasChanges }) else {
            let refusal = FlowRefusal(.publish, .nothingToRollBack(id))
            _ = await interaction.cannotPublish(refusal, retryable: [])
            return Outcome(id: id, members: [], refusal: refusal)
        }
        let request = ConfirmationRequest(pending: merged, requirement: .yes, version: releases[0].version, purpose: .rollback)
        guard case .confirmed(let confirmation) = await interaction.confirm(request) else { return Outcome(id: id, members: [], refusal: nil) }
        guard confirmation.pendingTagSet == merged else { throw FlowRefusal(.publish, .confirmationMismatch(.rollback)) }
        let date = Date()
        let rollbackID = Rollback.id(of: id, date: date)
        let names = plans.map { name($0.journal) }
        let journals = try await withThrowingTaskGroup(of: (Int, ReleaseJournal?).self) { group in
            for (i, entry) in plans.enumerated() where entry.plan.hasChanges {
                let position = entry.journal.family?.position ?? i
                let member = name(entry.journal)
                let rollback = Rollback(client: client, store: store) { events(FamilyEvent(member: member, $0)) }
                group.addTask {
                    // The user confirmed the merged set, which holds exactly this member's rows.
                    (i, try await rollback.run(.assumed(entry.plan.pending), of: entry.journal, family: FamilyLink(id: rollbackID, member: member, position: position, members: names), date: date))
                }
            }
            var journals = [ReleaseJournal?](repeating: nil, count: plans.count)
            for try await (i, journal) in group { journals[i] = journal }
            return journals
        }
        return Outcome(id: rollbackID, members: zip(plans, journals).map { (name($0.0.journal), $0.1) }, refusal: nil)
    }
}
