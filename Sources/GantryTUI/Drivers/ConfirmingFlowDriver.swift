import Foundation
import GantryEngine
import Synchronization

/// A flow that asks one confirmation, run inside the home console: a rollback from the
/// journal screen (`RollbackFlow`, or `FamilyRollback` for a family's release or member), a
/// tag repair from the audit screen (`TagFlow`). The
/// engine's flow computes the pending tag set and does the work; the console shows the set
/// in the confirmation dialog, passes Enter or Esc back as the answer, and follows the
/// registries on the publish screen.
actor ConfirmingFlowDriver: ReleaseInteraction {
    /// Runs the flow answered by the driver, its events (with the family member they are of,
    /// if any) going to the sink; returns the line the console shows once it is over.
    typealias Body = @Sendable (ConfirmingFlowDriver, @escaping @Sendable (ReleaseEvent, String?) -> Void) async throws -> String

    private let inbox: ConsoleInbox
    private let sink: ReleaseEventSink
    /// The version each index digest carries, so the preview names versions, not only digests.
    private let versions: [String: String]
    /// The status lines: while the flow reads the registries, beside the dialog, and before a failure.
    private let reading: String, prompt: String, failed: String
    private let body: Body
    /// What the flow said before its question (the created tags a rollback keeps), for the dialog.
    private let notes = Mutex<[String]>([])
    private var confirming: OpenConfirmation?
    private var isClosed = false
    private var run: Task<Void, Never>?

    private init(inbox: ConsoleInbox, versions: [String: String], reading: String, prompt: String, failed: String, body: @escaping Body) {
        self.inbox = inbox
        self.versions = versions
        self.reading = reading
        self.prompt = prompt
        self.failed = failed
        self.body = body
        sink = ReleaseEventSink(inbox: inbox)
    }

    /// The rollback of release `id` (`b` on the journal screen); a family member's rolls the
    /// whole family back, as `gantry rollback ID` does (an image never rolls back alone).
    static func rollback(_ id: ReleaseID, environment: FlowEnvironment, inbox: ConsoleInbox, versions: [String: String]) -> ConfirmingFlowDriver {
        if let family = FamilyJournals.family(of: id, in: JournalStore(state: environment.state)) {
            return ConfirmingFlowDriver(
                inbox: inbox, versions: versions, reading: "Reading where every tag of every image of the family \(family) points now…",
                prompt: "Rollback of the family \(family): check where each image's tags go back, then Enter.", failed: "Nothing was rolled back"
            ) { driver, events in
                familyRollbackResult(try await FamilyRollback.run(family, in: environment, interaction: driver) { events($0.event, $0.member) })
            }
        }
        return ConfirmingFlowDriver(
            inbox: inbox, versions: versions, reading: "Reading where every tag of \(id) points now…",
            prompt: "Rollback of \(id): check where each tag goes back, then Enter.", failed: "Nothing was rolled back"
        ) { driver, events in
            rollbackResult(try await RollbackFlow.with(id, in: environment, events: { events($0, nil) }) { flow in try await flow.run(driver) }, of: id)
        }
    }

    /// A tag flow (Enter on an audit finding whose repair is `gantry tag`).
    static func tag(_ start: TagFlow.Start, command: String, environment: FlowEnvironment, inbox: ConsoleInbox, versions: [String: String]) -> ConfirmingFlowDriver {
        ConfirmingFlowDriver(
            inbox: inbox, versions: versions, reading: "Copying what is missing and reading the tags: \(command)",
            prompt: "\(command): check where each tag goes, then Enter.", failed: "No tag moved"
        ) { driver, events in
            tagResult(try await TagFlow.with(start, in: environment, events: { events($0, nil) }) { flow in try await flow.run(driver) })
        }
    }

    /// Starts the flow; `ended` runs once it is over, however it ended.
    func start(ended: @escaping @Sendable () async -> Void) {
        inbox.post(.status(reading))
        let (body, sink, inbox, failed) = (self.body, self.sink, self.inbox, self.failed)
        run = Task {
            let result: String
            do {
                result = try await body(self) { event, image in
                    if case .message(let text) = event { self.notes.withLock { $0.append(text) } }
                    sink.post(event, image: image)
                }
            } catch {
                result = "\(failed): \(RecordedError(error).message)"
            }
            // Ended before it says so: a key pressed on seeing the result starts a new flow.
            await ended()
            inbox.post(.status(result))
        }
    }

    /// The console closed: an open question is left undecided; tags being written are
    /// finished and read back first (a flow is never cut in the middle).
    func closed() async {
        isClosed = true
        confirming?.leave()
        confirming = nil
        await run?.value
    }

    // MARK: Keys

    /// Enter in the dialog (`typedVersion` is never asked of these flows).
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

    /// Nothing to do (a rollback whose tags all moved on, or are already back): the flow's reason, shown.
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
        let prompt = self.prompt
        return await withCheckedContinuation { continuation in
            confirming = OpenConfirmation(request: request, continuation: continuation)
            inbox.post(contentsOf: [.pendingTags(preview), .show(.confirm), .status(prompt)])
        }
    }

    /// The line the console shows once a rollback is over.
    static func rollbackResult(_ outcome: RollbackOutcome, of id: ReleaseID) -> String {
        // The flow's own sentence (`nothing to roll back: no tag still points at …`).
        if let refusal = outcome.refusal { return refusal.reason.prefix(1).uppercased() + refusal.reason.dropFirst() + "." }
        guard let journal = outcome.journal else { return "Rollback declined: no tag moved." }
        return journal.phase == .verified
            ? "Rolled back \(id): every tag is back at its previous digest (journal \(journal.id))."
            : "The rollback of \(id) failed in some registry: see its journal \(journal.id)."
    }

    /// The line the console shows once a family's rollback is over.
    static func familyRollbackResult(_ outcome: FamilyRollback.Outcome) -> String {
        if let refusal = outcome.refusal { return refusal.reason.prefix(1).uppercased() + refusal.reason.dropFirst() + "." }
        guard !outcome.members.isEmpty else { return "Rollback declined: no tag of any image moved." }
        return outcome.succeeded
            ? "Rolled back the family \(outcome.id): every image's tags are back at their previous digests."
            : "The rollback of the family \(outcome.id) failed in some registry: see `gantry journal list`."
    }

    /// The line the console shows once a tag flow is over.
    static func tagResult(_ outcome: FlowOutcome) -> String {
        let journal = outcome.journal
        switch outcome.stage {
        case .verified: return "Tagged and verified: \(journal.tags.joined(separator: ", ")) in \(journal.registries.map(\.host).joined(separator: ", ")) (journal \(journal.id))."
        case .declined: return "Declined: no tag moved (journal \(journal.id))."
        case .failed: return "Tagging failed in some registry: see its journal \(journal.id); gantry resume \(journal.id) goes on."
        default: return "Left undecided: gantry resume \(journal.id) goes on."
        }
    }
}
