import Foundation
import GantryEngine
import Synchronization

/// A release, build, publish or resume on a terminal: the release screens rendering a
/// `ReleaseFlow`'s events, and the user's keys passed to it as answers. The flow decides
/// everything (whether `p` may publish, whether the version must be typed); the console
/// only shows its reasons.
public enum ReleaseConsole {
    /// How the console ended.
    public struct Result: Sendable {
        /// How the flow ended; nil when it stopped with `error`, and in a family's console.
        public var outcome: FlowOutcome?
        /// How a family release ended (`FamilyConsole`); nil otherwise.
        public var family: FamilyOutcome?
        /// What stopped the flow, when it did not end normally.
        public var error: RecordedError?
        /// The signal that closed the console, if one did.
        public var signal: Int32?
        /// The user went back to the Home the console was opened from (Esc on its first screen).
        public var wentHome = false
        /// The command log as the console ended: the one it was given and what it added.
        public var commandLog = CommandLog()
    }

    /// Runs `request` in the console until the user quits; waits for publishing in flight.
    /// `homeBelow`: it was opened from the home console, which Esc on its first screen returns to.
    public static func run(_ request: FlowRequest, in environment: FlowEnvironment, homeBelow: Bool = false) async throws -> Result {
        try await run(request, in: environment, homeBelow: homeBelow, terminal: NcursesTerminal())
    }

    /// Runs `request` in the console on `terminal` (a headless one in tests), its events
    /// passing through `inbox` (which a benchmark watches for its backlog); `commandLog` is
    /// the session's so far, which `L` shows before this console's own.
    public static func run(
        _ request: FlowRequest, in environment: FlowEnvironment, homeBelow: Bool = false, terminal: some ConsoleTerminal,
        inbox: ConsoleInbox = ConsoleInbox(), commandLog: CommandLog = CommandLog()
    ) async throws -> Result {
        let sink = ReleaseEventSink(inbox: inbox)
        return try await ReleaseFlow.with(request, in: environment, events: { sink.post($0) }) { flow in
            let driver = ReleaseConsoleDriver(flow: flow, inbox: inbox, sink: sink)
            let release = ReleasePresenter.releaseViewModel(
                config: flow.config, version: flow.version, builder: flow.toolchain.builder.rawValue, platforms: await flow.journal.platforms,
                kind: await flow.journal.kind)
            var shown = ReleaseState(release: release)
            shown.commandLog = commandLog
            await driver.start()
            return try await screens(shown, homeBelow: homeBelow, terminal: terminal, inbox: inbox, driver: driver)
        }
    }

    /// Runs the release screens from `shown` until the user quits, `driver` answering the
    /// flow behind them (one image's or a family's); waits for publishing in flight.
    static func screens(
        _ shown: ReleaseState, homeBelow: Bool, terminal: some ConsoleTerminal, inbox: ConsoleInbox, driver: some ReleaseScreensDriver
    ) async throws -> Result {
        let console = Console(state: shown, screen: .release, homeBelow: homeBelow, theme: .monochrome)
        let (closed, last): (ConsoleOutcome, Console)
        do {
            (closed, last) = try await ConsoleLoop().run(console, terminal: terminal, inbox: inbox) { await driver.handle($0) }
        } catch {
            await driver.closed()
            _ = await driver.finish()
            throw error
        }
        if await driver.isPublishing {
            OutputStream.standardError.text("gantry: waiting for publishing to finish…")
        }
        await driver.closed()
        var result = await driver.finish()
        if case .interrupted(let signal) = closed { result.signal = signal }
        result.wentHome = closed == .home
        result.commandLog = last.state.commandLog
        return result
    }
}

/// What answers a flow behind the release screens: the keys that act on it, closing, and how it ended.
protocol ReleaseScreensDriver: Actor {
    func handle(_ intent: ConsoleIntent) async
    /// The console closed: open questions are left, builds cancelled.
    func closed() async
    /// Waits for the flow to end.
    func finish() async -> ReleaseConsole.Result
    /// Tags are being written: closing waits for them.
    var isPublishing: Bool { get async }
}

/// Posts the flow's events to the console as view-model updates.
final class ReleaseEventSink: Sendable {
    private let inbox: ConsoleInbox
    /// The publish screen's presenter, once there is a pending tag set.
    private let progress = Mutex<PublishPresenter?>(nil)
    /// Refreshes what the flow allows when it may have changed (a build started or ended, a new phase).
    private let changed = Mutex<CoalescingRefresh?>(nil)

    init(inbox: ConsoleInbox) { self.inbox = inbox }

    /// Runs `refresh` after events that may change what the flow allows, coalesced (`CoalescingRefresh`).
    func onChange(_ refresh: @escaping @Sendable () async -> Void) { changed.withLock { $0 = CoalescingRefresh(refresh) } }

    /// Ends the refreshes; waits for the one running.
    func stop() async { await changed.withLock { $0 }?.stop() }

    /// Posts `event`; `image`: the family member whose event it is (nil: one image's, or the family's own).
    func post(_ event: ReleaseEvent, image: String? = nil) {
        let of = image.map { "\($0): " } ?? ""
        switch event {
        case .build(let build):
            inbox.post(contentsOf: BuildEventPresenter.events(for: build, image: image))
            if build.isTerminal || build.name == "started" { changed.withLock { $0 }?.request() }
        case .message(let message): inbox.post(.status(of + message))
        case .activity(let activity): inbox.post(.activity(activity))
        case .copied(let report): inbox.post(.status(of + report.description))
        case .registry(let publication):
            if let model = progress.withLock({ presenter -> PublishViewModel? in
                presenter?.apply(publication, image: image)
                return presenter?.viewModel
            }) { inbox.post(.publish(model)) }
        case .pending(let pending):
            let model = progress.withLock { presenter in
                presenter = PublishPresenter(pending: pending)
                return presenter!.viewModel
            }
            inbox.post(.publish(model))
        case .phase: changed.withLock { $0 }?.request()
        }
    }
}

/// Answers the flow with the user's keys, and carries out the keys that act on it.
actor ReleaseConsoleDriver: ReleaseInteraction, ReleaseScreensDriver {
    private let flow: ReleaseFlow
    private let inbox: ConsoleInbox
    private let sink: ReleaseEventSink
    private var run: Task<ReleaseConsole.Result, Never>?
    private var blocked: CheckedContinuation<BlockedAnswer, Never>?
    /// An answer the flow allowed before it asked (a failed row shows before the question):
    /// kept for the question instead of dropped.
    private var earlyAnswer: BlockedAnswer?
    private var confirming: OpenConfirmation?
    private var isClosed = false
    /// Numbers the availability computations, so a late one never overwrites a newer one.
    private var availabilityRequests = 0

    init(flow: ReleaseFlow, inbox: ConsoleInbox, sink: ReleaseEventSink) {
        self.flow = flow
        self.inbox = inbox
        self.sink = sink
    }

    func start() async {
        sink.onChange { await self.postAvailability() }
        await postAvailability()
        run = Task {
            do {
                let outcome = try await flow.run(self)
                await self.ended(outcome)
                return ReleaseConsole.Result(outcome: outcome)
            } catch {
                let recorded = RecordedError(error)
                inbox.post(.status("The release stopped: \(recorded.message). Press q to leave."))
                await self.postAvailability(publish: .refused(recorded.message))
                return ReleaseConsole.Result(error: recorded)
            }
        }
    }

    var isPublishing: Bool { get async { await flow.stage == .publishing } }

    /// Waits for the flow's run to end, then for the last availability refresh.
    func finish() async -> ReleaseConsole.Result {
        let result = await run?.value ?? ReleaseConsole.Result()
        await sink.stop()
        return result
    }

    // MARK: ReleaseInteraction

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        await postDigests()
        // What to do first: the reason can be long, and the status line is cut at the edge.
        let hint = retryable.isEmpty ? "q leaves." : "R builds the selected platform again, P publishes without it, Enter shows why; q leaves."
        let allowed = await availability()
        guard !isClosed else { return .stop }
        if let answer = earlyAnswer {
            earlyAnswer = nil
            return answer
        }
        // The keys the hint names are allowed in the same frame that shows it.
        return await withCheckedContinuation { continuation in
            blocked = continuation
            inbox.post(contentsOf: [.availability(allowed), .status("\(hint) \(refusal.reason).")])
        }
    }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        await postDigests()
        let allowed = await availability()
        let leftOut = await flow.journal.platformsLeftOut
        guard !isClosed else { return .left }
        // The question is open before the screen asks it, and `p` is allowed in the frame
        // that shows it, so a `p` pressed on that screen always finds it.
        return await withCheckedContinuation { continuation in
            confirming = OpenConfirmation(request: request, continuation: continuation)
            inbox.post(contentsOf: [
                .availability(allowed),
                .pendingTags(PendingTagsPresenter.viewModel(request)),
                .show(.pendingTags),
                .status(leftOut.isEmpty
                    ? "Every platform is built: review the pending tags, then press p to publish."
                    : "Publishing without \(leftOut.map(\.description).joined(separator: ", ")), as chosen: review the pending tags, then press p to publish."),
            ])
        }
    }

    // MARK: Keys

    func handle(_ intent: ConsoleIntent) async {
        switch intent {
        case .publish(let typed):
            guard let open = confirming else { return }
            confirming = nil
            open.confirm(typedVersion: typed)
            await postAvailability(publish: .refused("publishing is under way"))
        case .decline:
            guard let open = confirming else { return }
            confirming = nil
            inbox.post(.status("Declined: nothing was published. Press q to leave."))
            open.decline()
        case .retry(let platform):
            await answerBlocked(.retry([platform]), action: .retry(platform))
        case .publishWithout(let platforms):
            await answerBlocked(.publishWithout(platforms), action: .publishWithout(platforms))
        case .cancel(let platform):
            do { try await flow.cancel(platform) } catch { inbox.post(.status(RecordedError(error).message)) }
        case .cancelBuilds:
            await flow.cancelBuilds()
        case .startRelease, .audit, .history, .resume, .repair, .inspect, .dismiss, .rollback, .publishDigests, .quit, .home:
            break
        }
    }

    /// The console closed: an open question is answered "stop" / "leave", builds are cancelled.
    func closed() async {
        isClosed = true
        if await flow.stage == .building { await flow.cancelBuilds() }
        blocked?.resume(returning: .stop)
        blocked = nil
        confirming?.leave()
        confirming = nil
    }

    /// Answers the question the flow is waiting on, when the flow allows `action`.
    private func answerBlocked(_ answer: BlockedAnswer, action: FlowAction) async {
        if let refusal = await flow.refusal(for: action) {
            inbox.post(.status(refusal.reason))
        } else if let continuation = blocked {
            blocked = nil
            continuation.resume(returning: answer)
        } else {
            earlyAnswer = answer
        }
    }

    private func ended(_ outcome: FlowOutcome) async {
        await postDigests()
        await postAvailability()
        let next = outcome.next.map { " Next: \($0)." } ?? ""
        let text: String
        switch outcome.stage {
        case .verified: text = "Verified: every tag points to the new index."
        case .failed: text = "Publishing failed in some registry: see the verification."
        case .declined: text = "Declined: nothing was published."
        default: text = outcome.refusal.map { "Nothing was published: \($0.reason)." } ?? "Stopped: nothing more was published."
        }
        inbox.post(.status(text + next + " Press q to leave."))
    }

    /// Asks the flow what it allows now and shows it (`publish` overrides the publish answer).
    private func postAvailability(publish: FlowAvailability.Availability? = nil) async {
        let request = availabilityRequests + 1
        let value = await availability(publish: publish)
        // Computed over several awaits on the flow, so calls interleave on this actor: one
        // started while building can finish after a newer one and would post a stale
        // "refused" (a `p` then does nothing). Only the newest is posted.
        guard request == availabilityRequests else { return }
        inbox.post(.availability(value))
    }

    /// What the flow allows now. Every computation is numbered, so one that started earlier
    /// and finishes later is never posted over it.
    private func availability(publish: FlowAvailability.Availability? = nil) async -> FlowAvailability {
        availabilityRequests += 1
        func availability(_ refusal: FlowRefusal?) -> FlowAvailability.Availability { refusal.map { .refused($0.reason) } ?? .allowed }
        let journal = await flow.journal
        let publishRefusal = await flow.refusal(for: .publish)
        var value = FlowAvailability(publish: publish ?? availability(publishRefusal))
        for record in journal.platforms {
            value.retry[record.platform] = availability(await flow.refusal(for: .retry(record.platform)))
            value.cancel[record.platform] = availability(await flow.refusal(for: .cancel(record.platform)))
        }
        value.missing = journal.platformsLeftOut
        if !value.missing.isEmpty { value.publishWithout = availability(await flow.refusal(for: .publishWithout(value.missing))) }
        return value
    }

    private func postDigests() async {
        inbox.post(.digests(ReleasePresenter.digestsViewModel(journal: await flow.journal)))
    }
}
