import Foundation
import GantryEngine

/// A family release on a terminal (Family/ in the engine): the release screens grouped by
/// image, rendering `FamilyRelease`'s events, and the family's one question answered with
/// the user's keys. The engine decides what is published and when; this only shows it.
public enum FamilyConsole {
    /// Runs `request` in the console until the user quits; waits for publishing in flight.
    public static func run(_ request: FamilyRequest, in environment: FlowEnvironment, homeBelow: Bool = false) async throws -> ReleaseConsole.Result {
        try await run(request, in: environment, homeBelow: homeBelow, terminal: NcursesTerminal())
    }

    /// Runs `request` on `terminal` (a headless one in tests); `commandLog` is the session's so far.
    public static func run(
        _ request: FamilyRequest, in environment: FlowEnvironment, homeBelow: Bool = false, terminal: some ConsoleTerminal,
        inbox: ConsoleInbox = ConsoleInbox(), commandLog: CommandLog = CommandLog()
    ) async throws -> ReleaseConsole.Result {
        let sink = ReleaseEventSink(inbox: inbox)
        let matrix = try matrix(of: request, in: environment)
        let driver = FamilyConsoleDriver(inbox: inbox, platforms: Set(matrix.rows.map(\.platform)))
        var shown = ReleaseState(release: matrix)
        shown.commandLog = commandLog
        await driver.start(request, in: environment, sink: sink)
        return try await ReleaseConsole.screens(shown, homeBelow: homeBelow, terminal: terminal, inbox: inbox, driver: driver)
    }

    /// The matrix as the family opens: its header, and each image's platforms in config
    /// order (a resume's with what its journal holds). A Bake group's targets are known only
    /// once its release reads the group: their rows come with the builds' first events.
    static func matrix(of request: FamilyRequest, in environment: FlowEnvironment) throws -> ReleaseViewModel {
        let (config, version, options): (ReleaseConfig, SemanticVersion, FamilyOptions)
        switch request {
        case .release(let written, let v, let o), .publish(let written, let v, _, let o), .promote(let written, let v, _, _, let o):
            (config, version, options) = (written, v, o)
        case .resume(let id):
            let journals = try FamilyJournals.members(of: id, in: JournalStore(state: environment.state))
            guard let first = journals.first else { throw FlowError(.nothingToResume, "no family release \(id) (see `gantry journal list`)") }
            let rows = journals.flatMap { journal in
                let name = journal.family?.member ?? journal.image
                return ReleasePresenter.rows(platforms: journal.platforms, builder: journal.settings?.builder.rawValue ?? "-", kind: journal.kind).map { row in
                    var row = row
                    row.image = name
                    return row
                }
            }
            return ReleaseViewModel(
                header: ReleaseHeader(image: "\(first.image) family, \(first.family?.members.count ?? journals.count) images",
                                      version: first.version?.description ?? "", registries: first.registries.map(\.host),
                                      builders: [first.settings?.builder.rawValue ?? "-"]),
                rows: rows)
        }
        // A publish or promotion builds nothing here: its platforms are imported, with no builder.
        let imports: Bool
        if case .release = request { imports = false } else { imports = true }
        let builder = imports ? "-" : config.builder.rawValue
        let members = config.bakeGroup == nil ? try ImageFamily(config).only(options.only).members : []
        let header = ReleaseHeader(
            image: members.isEmpty ? "\(config.image) family (Bake group)" : "\(config.image) family, \(members.count) images",
            version: version.description, registries: config.registries.map(\.host), builders: [builder])
        return ReleaseViewModel(header: header, rows: members.flatMap { member in
            member.config.platforms.map { PlatformRow(platform: $0.platform, builder: builder, state: imports ? .imported : .queued, image: member.name) }
        })
    }
}

/// Answers the family's one question with the user's keys; Ctrl-C or `q` before it is
/// answered stops the family (nothing is published), after it waits for the tags to move.
actor FamilyConsoleDriver: ReleaseInteraction, ReleaseScreensDriver {
    private let inbox: ConsoleInbox
    /// Every platform of the matrix: `R` and `x` on each say why a family does not do them.
    private let platforms: Set<Platform>
    private var run: Task<ReleaseConsole.Result, Never>?
    private var confirming: OpenConfirmation?
    private var isClosed = false
    /// The user confirmed: tags are moving, and closing the console waits for them.
    private(set) var isPublishing = false

    init(inbox: ConsoleInbox, platforms: Set<Platform>) {
        self.inbox = inbox
        self.platforms = platforms
    }

    /// What the family allows: `publish`; one platform is never built again, cancelled or
    /// left out alone, since the family is published whole or not at all.
    private func availability(publish: FlowAvailability.Availability) -> FlowAvailability {
        let one = FlowAvailability.Availability.refused(
            "a family is built and published whole: q, then gantry resume FAMILY-ID builds what failed (or release with --allow-partial IMAGE:PLATFORM)")
        let each = Dictionary(uniqueKeysWithValues: platforms.map { ($0, one) })
        return FlowAvailability(publish: publish, retry: each, cancel: each, publishWithout: one)
    }

    func start(_ request: FamilyRequest, in environment: FlowEnvironment, sink: ReleaseEventSink) {
        inbox.post(.availability(availability(publish: .refused("nothing to publish yet: the pending tags appear once every image is built"))))
        run = Task {
            do {
                let outcome = try await FamilyRelease.run(request, in: environment, interaction: self) { sink.post($0.event, image: $0.member) }
                self.ended(outcome)
                return ReleaseConsole.Result(family: outcome)
            } catch {
                let recorded = RecordedError(error)
                inbox.post(contentsOf: [
                    .availability(self.availability(publish: .refused(recorded.message))),
                    .status("The family release stopped: \(recorded.message). Press q to leave."),
                ])
                return ReleaseConsole.Result(error: recorded)
            }
        }
    }

    func finish() async -> ReleaseConsole.Result { await run?.value ?? ReleaseConsole.Result() }

    /// The console closed: an open question is left undecided; before the answer, the
    /// family is cancelled (its builds stop, nothing is published); after it, the tags
    /// being written are finished and read back first.
    func closed() {
        isClosed = true
        confirming?.leave()
        confirming = nil
        if !isPublishing { run?.cancel() }
    }

    // MARK: ReleaseInteraction

    /// A member that cannot be published stops: the family publishes all or nothing, and
    /// `gantry resume ID` goes on with every image (the status line says which).
    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        guard !isClosed else { return .left }
        let images = Set(request.pending.rows.compactMap(\.member)).count
        return await withCheckedContinuation { continuation in
            confirming = OpenConfirmation(request: request, continuation: continuation)
            inbox.post(contentsOf: [
                .availability(availability(publish: .allowed)),
                .pendingTags(PendingTagsPresenter.viewModel(request)),
                .show(.pendingTags),
                .status("Every image's platforms are ready: review the pending tags of all \(images) images, then press p to publish them together."),
            ])
        }
    }

    // MARK: Keys

    func handle(_ intent: ConsoleIntent) {
        switch intent {
        case .publish(let typed):
            guard let open = confirming else { return }
            confirming = nil
            isPublishing = true
            open.confirm(typedVersion: typed)
            inbox.post(.availability(availability(publish: .refused("publishing is under way"))))
        case .decline:
            guard let open = confirming else { return }
            confirming = nil
            inbox.post(.status("Declined: nothing of the family was published. Press q to leave."))
            open.decline()
        case .cancelBuilds:
            // Once confirmed, tags are moving: a signal or `q` waits for them, never cuts the family halfway.
            if !isPublishing { run?.cancel() }
        case .retry, .publishWithout, .cancel, .startRelease, .audit, .history, .resume, .repair, .inspect, .dismiss, .rollback, .publishDigests, .quit, .home:
            break
        }
    }

    private func ended(_ outcome: FamilyOutcome) {
        let refused = FlowAvailability.Availability.refused("the family release is over")
        let text: String
        if outcome.succeeded {
            text = "Verified: every tag of every image points to its new index."
        } else if outcome.members.allSatisfy({ $0.outcome?.stage == .declined }) {
            text = "Declined: nothing of the family was published."
        } else {
            // The images that stopped the family (a failed build, an error), else every one not verified.
            let stopping = outcome.members.filter { $0.error != nil || $0.outcome?.refusal != nil }
            let named = (stopping.isEmpty ? outcome.members.filter { $0.outcome?.succeeded != true } : stopping).map(\.name)
            text = "Not every image is published: \(named.joined(separator: ", ")) could not be."
        }
        inbox.post(contentsOf: [
            .availability(availability(publish: refused)),
            .status(text + (outcome.next.map { " Next: \($0)." } ?? "") + " Press q to leave."),
        ])
    }
}
