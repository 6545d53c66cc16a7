import Foundation

/// One release, build, publish, promotion or resume, from start to verified tags: the only place
/// that decides what may happen next (its rules are `FlowPolicy`). Front ends choose where its
/// events go and how the user answers (`ReleaseInteraction`); they ask `refusal(for:)` before
/// offering an action.
///
/// The flow owns its release for its whole life: it holds the release's lock (a second
/// resume refuses), journals every setting when it starts (ReleaseFlow+Opening), journals each
/// platform's result before reporting it (ReleaseFlow+Builds), and publishes only a
/// confirmation of the exact pending tag set it showed, pushing the index it journaled.
public actor ReleaseFlow {
    public nonisolated let id: ReleaseID
    public nonisolated let kind: FlowKind
    public nonisolated let config: ReleaseConfig
    public nonisolated let settings: ReleaseSettings
    public nonisolated let toolchain: ReleaseToolchain
    public nonisolated let folder: ReleaseFolder
    public nonisolated let version: SemanticVersion?

    let recorder: JournalRecorder
    let lock: FileLock
    let ownsClient: Bool
    let events: @Sendable (ReleaseEvent) -> Void
    /// The family release this flow is a member of: it holds the publish locks of the family's repositories.
    let family: ReleaseID?

    /// Changed only by `enter(_:)`.
    public private(set) var stage: FlowStage
    /// Platforms publishing may leave out: `--allow-partial`, and those the user excused since.
    private var excused: Set<Platform>
    /// The pending tag set shown, and the index it publishes.
    private var prepared: PreparedPublication?

    // The builds (ReleaseFlow+Builds).
    var runner: BuildRunner?
    var forwarding: Task<Void, Never>?
    var cancelRequested = false
    var outcomes = JournaledOutcomes()
    /// A journal write that failed while builds ran: the flow stops with it.
    var journalFailure: (any Error)?

    init(
        recorder: JournalRecorder, journal: ReleaseJournal, kind: FlowKind, lock: FileLock, config: ReleaseConfig, settings: ReleaseSettings,
        toolchain: ReleaseToolchain, ownsClient: Bool, state: StateDirectory, family: ReleaseID?, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) {
        self.family = family
        self.recorder = recorder
        self.id = journal.id
        self.version = journal.version
        self.kind = kind
        self.lock = lock
        self.config = config
        self.settings = settings
        self.toolchain = toolchain
        self.ownsClient = ownsClient
        self.folder = state.release(journal.id)
        self.events = events
        self.stage = FlowPolicy.initialStage(of: kind)
        self.excused = Set(journal.settings?.allowPartial ?? settings.allowPartial)
    }

    /// The journal as recorded so far.
    public var journal: ReleaseJournal { get async { await recorder.journal } }

    /// The rules, applied to where the flow stands now.
    private var policy: FlowPolicy { FlowPolicy(kind: kind, id: id, stage: stage, excused: excused) }

    /// The one place the flow changes stage, along the transitions `FlowPolicy` allows.
    func enter(_ next: FlowStage) {
        assert(FlowPolicy.allows(stage, to: next), "\(id): no transition from \(stage) to \(next)")
        stage = next
    }

    // MARK: - The run

    /// Runs the flow to its end: builds what has no usable digest yet (a digest one
    /// registry lacks is copied from another, not rebuilt; a promotion copies its release),
    /// then, as long as publishing may go ahead, the pending tag set, the user's answer,
    /// publishing and verification. A `build` flow ends after its builds.
    public func run(_ interaction: some ReleaseInteraction) async throws -> FlowOutcome {
        switch kind {
        case .promote: try await copyPromotion()
        case .publish: break  // a digest some registry lacks is copied when the preflight finds it missing
        case .release, .build: try await buildMissing()
        }
        if kind == .build { return await outcome(nil) }
        while true {
            if let refusal = await refusal(for: .publish) {
                guard stage == .built || stage == .cancelled else { return await outcome(refusal) }
                let journal = await recorder.journal
                let retryable = journal.platformsLeftOut.filter { journal[platform: $0] != nil }
                switch await interaction.cannotPublish(refusal, retryable: retryable) {
                case .stop: return await outcome(refusal)
                case .retry(let platforms):
                    prepared = nil
                    try await retry(platforms)
                case .publishWithout(let platforms): try await excuse(platforms)
                }
                continue
            }
            let prepared = try await prepare()
            if let refusal = FlowPolicy.refusal(publishing: prepared.pending, allowVersionRewrite: settings.allowVersionRewrite == true) {
                try await refuse(refusal)
                return await outcome(refusal)
            }
            let requirement = FlowPolicy.requirement(for: prepared.pending, typing: version?.description ?? id.rawValue)
            switch await interaction.confirm(ConfirmationRequest(pending: prepared.pending, requirement: requirement, version: version, index: prepared.index)) {
            case .confirmed(let confirmation):
                try await publish(confirmation, requirement: requirement)
                return await outcome(nil)
            case .declined:
                try await decline()
                return await outcome(nil)
            case .left:
                try await recorder.update("left unconfirmed; nothing published (resumable by its id)") { $0.unconfirmed = .left }
                enter(.built)
                return await outcome(nil)
            }
        }
    }

    /// Why `action` is not allowed now; nil when it is.
    public func refusal(for action: FlowAction) async -> FlowRefusal? {
        policy.refusal(for: action, journal: await recorder.journal)
    }

    /// Lets publishing leave `platforms` out, as `--allow-partial` would; journaled in the
    /// settings, so a resume keeps the decision.
    private func excuse(_ platforms: [Platform]) async throws {
        if let refusal = await refusal(for: .publishWithout(platforms)) { throw refusal }
        excused.formUnion(platforms)
        let allowed = excused.sorted()
        try await recorder.update("publishing without \(platforms.map(\.description).joined(separator: ", ")), as the user chose") {
            $0.settings?.allowPartial = allowed
        }
    }

    // MARK: - Publishing

    /// The pending tag set after preflight; journals every tag's current digest.
    private func prepare() async throws -> PreparedPublication {
        let preparation = PublishPreparation(toolchain: toolchain, allowPartial: excused, allowDowngrade: settings.allowDowngrade)
        let prepared: PreparedPublication
        do {
            prepared = try await prepareCopyingMissing(preparation).signed(by: toolchain.records.key)
        } catch {
            try await recorder.update("publishing refused: \(RecordedError(error).message)") { _ in }
            throw error
        }
        self.prepared = prepared
        try await recorder.goingOnToConfirm()
        enter(.awaitingConfirmation)
        events(.pending(prepared.pending))
        return prepared
    }

    /// Publishes the confirmed set, journaling the index it pushes with the confirmation.
    private func publish(_ confirmation: Confirmation, requirement: ConfirmationRequirement) async throws {
        let shown = stage == .awaitingConfirmation ? prepared : nil
        if let refusal = FlowPolicy.refusal(of: confirmation, pending: shown?.pending, requirement: requirement) { throw refusal }
        enter(.publishing)
        let events = self.events
        let stop = StopRequest()
        let coordinator = PublishCoordinator(
            client: toolchain.client, publisher: toolchain.indexPublisher { events(.message($0)) },
            recorder: recorder, stop: stop, locksRepositories: family == nil, records: toolchain.records, onEvent: events)
        // Cancelling (Ctrl-C) must not abort a registry write halfway: the publish runs on
        // its own, and the cancellation becomes a request to stop at the next write.
        let index = shown?.index
        let publishing = Task { try await coordinator.publish(confirmation, index: index) }
        let final = try await withTaskCancellationHandler { try await publishing.value } onCancel: { stop.request() }
        enter(final.phase == .verified ? .verified : .failed)
    }

    private func decline() async throws {
        try await recorder.update("not confirmed; nothing published") {
            $0.phase = .cancelled
            $0.unconfirmed = .declined
        }
        enter(.declined)
        events(.phase(.cancelled))
    }

    /// Ends the flow refused once the pending set was shown: nothing published, nothing to resume.
    private func refuse(_ refusal: FlowRefusal) async throws {
        try await recorder.update("publishing refused: \(refusal.reason)") { $0.phase = .cancelled }
        enter(.refused)
        events(.phase(.cancelled))
    }

    private func outcome(_ refusal: FlowRefusal?) async -> FlowOutcome {
        FlowOutcome(journal: await recorder.journal, stage: stage, refusal: refusal)
    }
}
