import Foundation

/// `gantry tag` as a flow, journaled as kind `tag`: copies the source's manifest by digest
/// into every target registry that lacks it, checks every tag still points where the
/// request expects, shows the pending tag set, and only on a confirmation of exactly that
/// set moves the tags (each re-checked right before its write) and reads them back. The
/// flow holds its journal's lock for its whole life; a resume goes on from the journaled
/// request, and a tag journal is rolled back like a release.
public actor TagFlow {
    public nonisolated let id: ReleaseID
    public nonisolated let request: TagRequest
    /// Where the journal is written.
    public nonisolated let folder: ReleaseFolder

    private let recorder: JournalRecorder
    private let lock: FileLock
    private let client: RegistryClient
    private let events: @Sendable (ReleaseEvent) -> Void

    private init(recorder: JournalRecorder, journal: ReleaseJournal, request: TagRequest, lock: FileLock, client: RegistryClient, state: StateDirectory, events: @escaping @Sendable (ReleaseEvent) -> Void) {
        self.recorder = recorder
        self.id = journal.id
        self.request = request
        self.folder = state.release(journal.id)
        self.lock = lock
        self.client = client
        self.events = events
    }

    /// The journal as recorded so far.
    public var journal: ReleaseJournal { get async { await recorder.journal } }

    /// What a tag flow is asked to do.
    public enum Start: Sendable {
        case tag(TagRequest)
        /// Go on with a tag journal (see `Resumability.check`).
        case resume(ReleaseID)
    }

    /// Whether `id` is a tag journal: `gantry resume` continues it with this flow. A journal
    /// that cannot be read is left to the release flow's resume, which says why.
    public static func resumes(_ id: ReleaseID, in state: StateDirectory) -> Bool {
        (try? JournalStore(state: state).load(id))?.kind == .tag
    }

    /// Opens the flow, runs `body` with it, and closes it (lock released, the client shut
    /// down when the flow made it) however `body` ends.
    public static func with<T: Sendable>(
        _ start: Start, in environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void = { _ in },
        _ body: (TagFlow) async throws -> T
    ) async throws -> T {
        let store = JournalStore(state: environment.state)
        let (request, resumed) = try Self.request(start, store: store)
        return try await ActivityLog.recording(to: { events(.activity($0)) }) {
            if let client = environment.client {
                return try await running(request, resuming: resumed, client: client, store: store, events: events, body)
            }
            let configuration = try RegistryClientConfiguration(registries: request.targets, caBundle: environment.caBundle)
            return try await RegistryClient.with(configuration, credentials: environment.credentials ?? .fromDockerConfig()) { client in
                try await running(request, resuming: resumed, client: client, store: store, events: events, body)
            }
        }
    }

    /// Opens the flow with `client`, runs `body`, and releases the lock however it ends.
    private static func running<T: Sendable>(
        _ request: TagRequest, resuming resumed: ReleaseJournal?, client: RegistryClient, store: JournalStore,
        events: @escaping @Sendable (ReleaseEvent) -> Void, _ body: (TagFlow) async throws -> T
    ) async throws -> T {
        let flow = try await open(request, resuming: resumed, client: client, store: store, events: events)
        defer { flow.lock.release() }
        return try await body(flow)
    }

    /// The request to carry out, and the journal it resumes (nil: a new one).
    private static func request(_ start: Start, store: JournalStore) throws -> (TagRequest, ReleaseJournal?) {
        switch start {
        case .tag(let request):
            return (request, nil)
        case .resume(let id):
            let journal = try store.load(id)
            guard journal.kind == .tag, let request = journal.tagging else {
                throw FlowError(.notResumable, "\(id) is a \(journal.kind.rawValue) journal, not a tag journal")
            }
            return (request, journal)
        }
    }

    private static func open(
        _ request: TagRequest, resuming resumed: ReleaseJournal?, client: RegistryClient, store: JournalStore,
        events: @escaping @Sendable (ReleaseEvent) -> Void
    ) async throws -> TagFlow {
        if let resumed {
            let lock = try acquire(resumed.id, state: store.state, purpose: "resume \(resumed.id)")
            do {
                // Read under the lock: what another process wrote before it stopped is current.
                let journal = try store.load(resumed.id)
                try Resumability.check(journal)
                store.state.release(journal.id).removeStaleTemporaryFiles()
                let recorder = JournalRecorder(resuming: journal, store: store)
                try await recorder.update("resumed by pid \(getpid()) (\(journal.phase.rawValue))") { _ in }
                return TagFlow(recorder: recorder, journal: journal, request: request, lock: lock, client: client, state: store.state, events: events)
            } catch {
                lock.release()
                throw error
            }
        }
        let source = try request.sourceReference
        let manifest = try await client.manifest(source)
        let repositories = request.targets.map { $0.repository(for: source.repository) }
        // Refused before anything is journaled or copied: a tag that moved since it was looked at.
        let current = try await currentDigests(request, in: repositories, client: client)
        try check(request, current: current, digest: manifest.digest)
        var journal = ReleaseJournal(
            id: ReleaseID(unchecked: "\(source.repository.split(separator: "/").last ?? "image")-tag-\(ReleaseID.timestamp(Date()))"),
            kind: .tag, image: source.repository, version: nil, registries: request.targets, tags: request.tags,
            expectedPlatforms: Self.platforms(of: manifest))
        journal.tagging = request
        journal.platforms = []
        journal.before = current.map { ReleaseJournal.TagSnapshot(registry: $0.registry, tag: $0.tag, digest: $0.digest) }
        journal.phase = .copying
        journal.note("tagging \(source) as \(request.tags.joined(separator: ", ")) in \(request.targets.map(\.host).joined(separator: ", "))")
        let recorder = try JournalRecorder(creating: journal, store: store)
        let created = await recorder.journal
        let lock = try acquire(created.id, state: store.state, purpose: "tag \(created.id)")
        return TagFlow(recorder: recorder, journal: created, request: request, lock: lock, client: client, state: store.state, events: events)
    }

    private static func acquire(_ id: ReleaseID, state: StateDirectory, purpose: String) throws -> FileLock {
        switch try FileLock.acquire(at: state.release(id).lock, purpose: purpose) {
        case .acquired(let lock): return lock
        case .held(let holder): throw FlowError.running(id, holder)
        }
    }

    // MARK: - The run

    /// Copies the manifest where it is missing, shows the pending tag set, and moves the
    /// tags once the user confirms exactly that set.
    public func run(_ interaction: some ReleaseInteraction) async throws -> FlowOutcome {
        let source = try request.sourceReference
        let manifest = try await client.manifest(source)
        try await copyWhereMissing(source)
        let pending = try await pendingTagSet(manifest)
        try await recorder.goingOnToConfirm()
        events(.pending(pending))
        switch await interaction.confirm(ConfirmationRequest(pending: pending, requirement: .yes, version: nil, purpose: .tag)) {
        case .confirmed(let confirmation):
            guard confirmation.pendingTagSet == pending else {
                throw FlowRefusal(.publish, .confirmationMismatch(.tag))
            }
            let publisher = NativePublisher(client: client, attestations: .keep)
            let coordinator = PublishCoordinator(client: client, publisher: publisher, recorder: recorder, onEvent: events)
            let final = try await coordinator.publish(confirmation)
            return FlowOutcome(journal: final, stage: final.phase == .verified ? .verified : .failed, refusal: nil)
        case .declined:
            let journal = try await recorder.update("not confirmed; no tag moved") {
                $0.phase = .cancelled
                $0.unconfirmed = .declined
            }
            events(.phase(.cancelled))
            return FlowOutcome(journal: journal, stage: .declined, refusal: nil)
        case .left:
            let journal = try await recorder.update("left unconfirmed; no tag moved") { $0.unconfirmed = .left }
            return FlowOutcome(journal: journal, stage: .built, refusal: nil)
        }
    }

    /// Makes the source's digest exist in every target repository (what one holds already
    /// is skipped, so a resume goes on where a copy stopped); journals each copy.
    private func copyWhereMissing(_ source: ImageReference) async throws {
        guard let digest = source.digest else { return }
        events(.phase(.copying))
        let placement = DigestPlacement(client: client)
        let targets = request.targets.map { $0.repository(for: source.repository) }
        let (_, lacking) = try await placement.presence(of: digest, in: targets)
        do {
            try await placement.copy(source, to: lacking) { _, report in
                try await self.recorder.update(report.description) { _ in }
                self.events(.copied(report))
            }
        } catch {
            try await recorder.update("copying \(source) failed: \(RecordedError(error).message)") { _ in }
            throw error
        }
        let built = try await recorder.update("\(Digest.short(digest)) is in every target registry") { $0.phase = .built }
        events(.phase(built.phase))
    }

    /// Every target × tag: where it points now and that it goes to the source's digest, with
    /// the pending set's warnings (platforms a tag loses, drift between registries). Throws
    /// when a tag does not point where the request expects (nor at the digest already).
    private func pendingTagSet(_ manifest: FetchedManifest) async throws -> PendingTagSet {
        let source = try request.sourceReference
        let planner = PendingTagPlanner(auditor: Auditor(client: client, readsConfigLabels: false, inspectsSupplyChain: false, checksPlatforms: false))
        let current = await planner.current(repositories: request.targets.map { $0.repository(for: source.repository) }, tags: request.tags)
        let platforms = Self.platforms(of: manifest)
        let targets = request.targets.map { IndexTarget(registry: $0.host, digest: manifest.digest, platforms: platforms, sources: [], existing: true) }
        // No version: a tag is pointed at the digest asked for, whatever version it carries.
        let pending = try await planner.plan(current: current, version: nil, targets: targets, allowDowngrade: true)
        let now = pending.rows.map { ReleaseJournal.TagSnapshot(registry: $0.registry, tag: $0.tag, digest: $0.current?.digest) }
        try Self.check(request, current: now, digest: manifest.digest)
        return pending
    }

    /// What every tag of the request points to now in each target registry, read past the cache.
    private static func currentDigests(_ request: TagRequest, in repositories: [ImageReference], client: RegistryClient) async throws -> [ReleaseJournal.TagSnapshot] {
        var snapshots: [ReleaseJournal.TagSnapshot] = []
        for repository in repositories {
            for tag in request.tags {
                let now = try await client.resolve(repository.with(tag: tag), cached: false)?.digest
                snapshots.append(ReleaseJournal.TagSnapshot(registry: repository.registry, tag: tag, digest: now))
            }
        }
        return snapshots
    }

    /// Throws `TagError.moved` naming every tag that points neither where the request
    /// expects nor at `digest` already (a move of ours that landed).
    private static func check(_ request: TagRequest, current: [ReleaseJournal.TagSnapshot], digest: String) throws {
        let moved = current.compactMap { now -> String? in
            guard let expected = request.expected.first(where: { $0.tag == now.tag }), now.digest != expected.digest, now.digest != digest else { return nil }
            return "\(now.tag) in \(now.registry) points to \(now.digest.map(Digest.short) ?? "nothing"), not \(expected.digest.map(Digest.short) ?? "nothing") as expected"
        }
        guard moved.isEmpty else {
            throw TagError(.moved, "\(moved.joined(separator: "; ")): it moved since it was looked at, so no tag was moved; audit again")
        }
    }

    /// The platforms of an index (none for a single image).
    private static func platforms(of manifest: FetchedManifest) -> [Platform] {
        manifest.index?.manifests.filter { !$0.isAttestation }.compactMap { $0.platform?.platform } ?? []
    }
}
