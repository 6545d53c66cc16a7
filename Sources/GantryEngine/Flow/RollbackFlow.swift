/// Rolling a release back, as a flow: the release is locked for the whole flow (a running
/// release is never rolled back), the preview is offered as a pending tag set, and only a
/// confirmation of exactly that set runs the rollback (journaled in its own `rollback` journal).
public actor RollbackFlow {
    public nonisolated let release: ReleaseJournal
    private let client: RegistryClient
    private let store: JournalStore
    private let events: @Sendable (ReleaseEvent) -> Void

    private init(release: ReleaseJournal, client: RegistryClient, store: JournalStore, events: @escaping @Sendable (ReleaseEvent) -> Void) {
        self.release = release
        self.client = client
        self.store = store
        self.events = events
    }

    /// Opens the rollback of release `id`, runs `body` with it, and releases everything after.
    public static func with<T: Sendable>(
        _ id: ReleaseID, in environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void = { _ in },
        _ body: (RollbackFlow) async throws -> T
    ) async throws -> T {
        let lock = try Rollback.lock(id, in: environment.state)
        defer { lock.release() }
        let store = JournalStore(state: environment.state)
        let release = try store.load(id)
        if let reason = refusal(of: release) { throw FlowError(.notRollbackable, reason) }
        // A family's images go back together (`FamilyRollback`), never one alone.
        if let link = release.family {
            throw FlowError(.notRollbackable, "\(id) is \(link.member) of the family release \(link.id): roll the family back as one (gantry rollback \(link.id))")
        }
        return try await ActivityLog.recording(to: { events(.activity($0)) }) {
            if let client = environment.client {
                return try await body(RollbackFlow(release: release, client: client, store: store, events: events))
            }
            let configuration = try RegistryClientConfiguration(registries: release.registries, caBundle: environment.caBundle)
            return try await RegistryClient.with(configuration, credentials: environment.credentials ?? .fromDockerConfig()) { client in
                try await body(RollbackFlow(release: release, client: client, store: store, events: events))
            }
        }
    }

    /// Why the journal of `listing` cannot be rolled back now (running, unreadable, or see
    /// `refusal(of:)`), or nil: what the console's journal screen shows instead of a preview.
    public static func refusal(of listing: JournalListing) -> String? {
        if let runner = listing.runner { return FlowError.running(listing.folder.id, runner).message }
        switch listing.journal {
        case .failure(let error): return error.description
        case .success(let journal): return refusal(of: journal)
        }
    }

    /// Why `journal` has nothing a rollback could move back, or nil: a build and a rollback
    /// publish no release, and a release, publish, promotion or tag journal that wrote no index moved no tag.
    public static func refusal(of journal: ReleaseJournal) -> String? {
        switch journal.kind {
        case .build:
            return "build \(journal.id) published no tag: nothing to roll back"
        case .rollback:
            return "\(journal.id) is a rollback itself; publish \(journal.rollbackOf.map { "the release it undid (\($0))" } ?? "the release") again instead"
        case .release, .publish, .promote, .tag:
            guard journal.publications.contains(where: { $0.indexDigest != nil }), journal.before.contains(where: { $0.digest != nil }) else {
                let published = journal.publications.contains { $0.indexDigest != nil }
                return published
                    ? "\(journal.kind.rawValue) \(journal.id) only created tags (none existed before); a rollback deletes no tag"
                    : "\(journal.kind.rawValue) \(journal.id) published nothing (\(journal.phase.rawValue)); there is nothing to roll back"
            }
            return nil
        }
    }

    /// Shows the preview and, once confirmed, points every tag the release moved back.
    public func run(_ interaction: some ReleaseInteraction) async throws -> RollbackOutcome {
        let plan = try await RollbackPlanner(client: client).plan(release)
        events(.pending(plan.pending))
        if !plan.created.isEmpty {
            let created = plan.created.map { "\($0.registry)/\(release.image):\($0.tag)" }
            events(.message("created by \(release.id) and kept (a rollback deletes no tag): \(created.joined(separator: ", "))"))
        }
        guard plan.hasChanges else {
            let refusal = FlowRefusal(.publish, .nothingToRollBack(release.id))
            _ = await interaction.cannotPublish(refusal, retryable: [])
            return RollbackOutcome(journal: nil, refusal: refusal)
        }
        let request = ConfirmationRequest(pending: plan.pending, requirement: .yes, version: release.version, purpose: .rollback)
        switch await interaction.confirm(request) {
        case .confirmed(let confirmation):
            guard confirmation.pendingTagSet == plan.pending else {
                throw FlowRefusal(.publish, .confirmationMismatch(.rollback))
            }
            return RollbackOutcome(journal: try await Rollback(client: client, store: store, onEvent: events).run(confirmation, of: release), refusal: nil)
        case .declined, .left:
            return RollbackOutcome(journal: nil, refusal: nil)
        }
    }
}

/// How a rollback flow ended.
public struct RollbackOutcome: Sendable, Equatable {
    /// The rollback's journal, when it ran.
    public var journal: ReleaseJournal?
    /// Why nothing was written, when there was nothing to roll back.
    public var refusal: FlowRefusal?

    /// Every tag is back (or none needed to move); false when declined or a registry failed.
    public var succeeded: Bool { journal.map { $0.phase == .verified } ?? (refusal != nil) }
}
