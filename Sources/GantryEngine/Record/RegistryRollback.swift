import Foundation

/// `gantry rollback REF`: moves one tag back to the digest its newest release record says it
/// had before (or to `--to DIGEST`, any digest of its recorded history), from any machine:
/// the records in the registry stand in for the local journal. The same preview,
/// confirmation, guard, read-back and rollback journal as a journal's rollback, and a record
/// of its own.
public enum RegistryRollback {
    public static func run(
        _ reference: ImageReference, to requested: String? = nil, in environment: FlowEnvironment, interaction: some ReleaseInteraction,
        events: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }
    ) async throws -> RollbackOutcome {
        let target = RegistryTarget(host: reference.registry)
        if let client = environment.client {
            return try await run(reference, to: requested, target: target, client: client, state: environment.state, interaction: interaction, events: events)
        }
        let configuration = try RegistryClientConfiguration(registries: [target], caBundle: environment.caBundle)
        return try await RegistryClient.with(configuration, credentials: environment.credentials ?? .fromDockerConfig()) { client in
            try await run(reference, to: requested, target: target, client: client, state: environment.state, interaction: interaction, events: events)
        }
    }

    private static func run(
        _ reference: ImageReference, to requested: String?, target: RegistryTarget, client: RegistryClient, state: StateDirectory,
        interaction: some ReleaseInteraction, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) async throws -> RollbackOutcome {
        let timeline = try await TagHistory(client: client).timeline(of: reference, limit: requested == nil ? 1 : 50)
        guard let tag = reference.tag, let current = timeline.current else {
            throw FlowError(.notRollbackable, "\(reference) does not exist: there is nothing to roll back")
        }
        let newest = timeline.entries.first?.record
        let back: String
        if let requested {
            guard requested != current else { throw FlowError(.notRollbackable, "\(reference) points to \(Digest.short(requested)) already") }
            guard timeline.entries.contains(where: { $0.digest == requested }) else {
                throw FlowError(.notRollbackable, "\(Digest.short(requested)) is not in the recorded history of \(reference) (see gantry history \(reference)); a rollback only goes back to where the tag was")
            }
            back = requested
        } else {
            guard let newest else {
                throw FlowError(.notRollbackable, "\(reference) (\(Digest.short(current))) has no release record: what it pointed to before is unknown; give --to DIGEST from gantry history, or roll back its release's journal")
            }
            guard let previous = newest.record.move(of: tag)?.previous else {
                throw FlowError(.notRollbackable, "\(reference) was created by \(newest.record.summary); a rollback deletes no tag")
            }
            back = previous
        }
        let version = newest?.record.version.flatMap { try? SemanticVersion.parse($0) }
        // An id of its own, never the record's (which comes from the registry and may name a local journal).
        let rolledBack = ReleaseID.make(image: "\(reference.repository)-registry", version: version ?? SemanticVersion(major: 0, minor: 0, patch: 0))
        var release = ReleaseJournal(
            id: rolledBack, kind: .publish, image: reference.repository, version: version, registries: [target], tags: [tag], expectedPlatforms: [])
        release.publications = [ReleaseJournal.RegistryPublication(registry: target.host, state: .verified, indexDigest: current)]
        let row = PendingTag(
            registry: target.host, tag: tag, current: TagTarget(digest: current, platforms: []), new: TagTarget(digest: back, platforms: []), change: .move)
        let pending = PendingTagSet(rows: [row], targets: [])
        events(.pending(pending))
        events(.message("\(reference): \(Digest.short(current)) → \(Digest.short(back))" + (newest.map { ", undoing \($0.record.summary)" } ?? "")))
        switch await interaction.confirm(ConfirmationRequest(pending: pending, requirement: .yes, version: release.version, purpose: .rollback)) {
        case .confirmed(let confirmation):
            guard confirmation.pendingTagSet == pending else { throw FlowRefusal(.publish, .confirmationMismatch(.rollback)) }
            let journal = try await Rollback(client: client, store: JournalStore(state: state), onEvent: events).run(confirmation, of: release)
            return RollbackOutcome(journal: journal, refusal: nil)
        case .declined, .left:
            return RollbackOutcome(journal: nil, refusal: nil)
        }
    }
}
