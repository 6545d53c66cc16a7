import Foundation
import GantryEngine
import Synchronization

/// A rollback from the journal screen: the engine's `RollbackFlow` run in the console. The
/// flow computes the preview (which tags go back to which digest, which created tags stay)
/// and does the rollback; the console shows the preview in the confirmation dialog, passes
/// Enter or Esc back as the answer, and follows the registries on the publish screen.
actor RollbackConsoleDriver: ReleaseInteraction {
    let id: ReleaseID
    private let environment: FlowEnvironment
    private let inbox: ConsoleInbox
    private let sink: ReleaseEventSink
    /// The version each index digest carries, so the preview names versions, not only digests.
    private let versions: [String: String]
    /// What the flow said before its question (the created tags it keeps), for the dialog.
    private let notes = Mutex<[String]>([])
    private var confirming: OpenConfirmation?
    private var isClosed = false
    private var run: Task<Void, Never>?

    init(id: ReleaseID, environment: FlowEnvironment, inbox: ConsoleInbox, versions: [String: String]) {
        self.id = id
        self.environment = environment
        self.inbox = inbox
        self.versions = versions
        sink = ReleaseEventSink(inbox: inbox)
    }

    /// Starts the flow; `ended` runs once it is over, however it ended.
    func start(ended: @escaping @Sendable () async -> Void) {
        inbox.post(.status("Reading where every tag of \(id) points now…"))
        let (id, environment, sink, inbox) = (self.id, self.environment, self.sink, self.inbox)
        run = Task {
            let result: String
            do {
                result = Self.result(try await Self.rollBack(id, in: environment, answering: self) { event in
                    if case .message(let text) = event { self.notes.withLock { $0.append(text) } }
                    sink.post(event)
                }, of: id)
            } catch {
                result = "Nothing was rolled back: \(RecordedError(error).message)"
            }
            // Ended before it says so: a `b` pressed on seeing the result starts a new rollback.
            await ended()
            inbox.post(.status(result))
        }
    }

    /// The console closed: an open question is left undecided; tags being written are
    /// finished and read back first (a rollback is never cut in the middle).
    func closed() async {
        isClosed = true
        confirming?.leave()
        confirming = nil
        await run?.value
    }

    // MARK: Keys

    /// Enter in the dialog (`typedVersion` is never asked of a rollback).
    func confirmed(typedVersion: String?) {
        guard let open = confirming else { return }
        confirming = nil
        open.confirm(typedVersion: typedVersion)
    }

    /// Esc in the dialog (the flow's outcome then says it was declined).
    func declined() {
        guard let open = confirming else { return }
        confirming = nil
        open.decline()
    }

    // MARK: ReleaseInteraction

    /// Nothing to roll back (every tag moved on, or already back): the flow's reason, shown.
    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        .stop
    }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        guard !isClosed else { return .left }
        var model = PendingTagsPresenter.viewModel(request)
        for i in model.rows.indices {
            model.rows[i].currentVersion = model.rows[i].currentDigest.flatMap { versions[$0] }
            model.rows[i].newVersion = model.rows[i].newDigest.flatMap { versions[$0] }
        }
        model.notes = notes.withLock { $0 }
        let preview = model
        return await withCheckedContinuation { continuation in
            confirming = OpenConfirmation(request: request, continuation: continuation)
            inbox.post(contentsOf: [.pendingTags(preview), .show(.confirm), .status("Rollback of \(id): check where each tag goes back, then Enter.")])
        }
    }

    /// Runs the flow outside the actor (its body is not sent across), answered by `interaction`.
    private static func rollBack(
        _ id: ReleaseID, in environment: FlowEnvironment, answering interaction: RollbackConsoleDriver, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) async throws -> RollbackOutcome {
        try await RollbackFlow.with(id, in: environment, events: events) { flow in try await flow.run(interaction) }
    }

    /// The line the console shows once the flow is over.
    static func result(_ outcome: RollbackOutcome, of id: ReleaseID) -> String {
        // The flow's own sentence (`nothing to roll back: no tag still points at …`).
        if let refusal = outcome.refusal { return refusal.reason.prefix(1).uppercased() + refusal.reason.dropFirst() + "." }
        guard let journal = outcome.journal else { return "Rollback declined: no tag moved." }
        return journal.phase == .verified
            ? "Rolled back \(id): every tag is back at its previous digest (journal \(journal.id))."
            : "The rollback of \(id) failed in some registry: see its journal \(journal.id)."
    }
}
