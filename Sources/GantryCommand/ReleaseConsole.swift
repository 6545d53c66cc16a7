import ArgumentParser
import Foundation
import GantryEngine
import GantryTUI
import Synchronization

/// `gantry release` on a terminal: the release screen of the console, driving a release session.
///
/// Builds start at once and stream into the matrix; once every platform is built the pending
/// tags are shown, and only the confirmation dialog (typing the version when existing tags
/// move) publishes them. Esc in the dialog declines: nothing is published.
public enum ReleaseConsole {
    /// Runs the release in the console; returns the final journal, or nil when the user
    /// declined or quit before publishing. SIGINT/SIGTERM cancel the builds, restore the
    /// terminal and end with exit code 128 + signal. `failFast` stops the other builds when one fails.
    public static func run(
        session: ReleaseSession, plan: ReleasePlan, allowPartial: Set<Platform>, allowDowngrade: Bool, failFast: Bool = false
    ) async throws -> ReleaseJournal? {
        let inbox = ConsoleInbox()
        let driver = ReleaseConsoleDriver(
            session: session, inbox: inbox, version: plan.version, allowPartial: allowPartial, allowDowngrade: allowDowngrade,
            failFast: failFast)
        let release = ReleasePresenter.releaseViewModel(
            config: session.config, version: plan.version, builder: session.toolchain.builder.rawValue)
        let console = Console(state: ReleaseState(release: release), screen: .release, theme: .monochrome)
        await driver.startBuild()
        let outcome: ConsoleOutcome
        do {
            (outcome, _) = try await ConsoleLoop().run(console, terminal: NcursesTerminal(), inbox: inbox) { await driver.handle($0) }
        } catch {
            await driver.handle(.cancelBuilds)
            _ = await driver.finish()
            throw error
        }
        if await driver.isPublishing { FileHandle.standardError.write(Data("gantry: waiting for publishing to finish…\n".utf8)) }
        let journal = await driver.finish()
        if case .interrupted(let signal) = outcome { throw ExitCode(128 + signal) }
        return journal
    }
}

/// Carries out what the user asks in the release console, on the release session.
actor ReleaseConsoleDriver {
    private let session: ReleaseSession
    private let inbox: ConsoleInbox
    private let version: SemanticVersion
    private let allowPartial: Set<Platform>
    private let allowDowngrade: Bool
    private let failFast: Bool
    private var buildTask: Task<Void, Never>?
    private var publishTask: Task<Void, Never>?
    private var pending: PendingTagSet?
    private var published: ReleaseJournal?
    private var declined = false

    init(session: ReleaseSession, inbox: ConsoleInbox, version: SemanticVersion, allowPartial: Set<Platform>, allowDowngrade: Bool, failFast: Bool) {
        self.session = session
        self.inbox = inbox
        self.version = version
        self.allowPartial = allowPartial
        self.allowDowngrade = allowDowngrade
        self.failFast = failFast
    }

    var isPublishing: Bool { publishTask != nil && published == nil }

    func startBuild() {
        buildTask = Task { await self.buildAndPrepare() }
    }

    func handle(_ intent: ConsoleIntent) async {
        switch intent {
        case .publish:
            guard let pending, publishTask == nil, !declined else { return }
            publishTask = Task { await self.publish(pending) }
        case .decline:
            guard publishTask == nil, !declined else { return }
            declined = true
            do {
                try await session.decline()
                inbox.post(.status("Declined: nothing was published. Press q to leave."))
            } catch {
                inbox.post(.status("Declined, but the journal could not record it: \(error)"))
            }
        case .cancelBuilds:
            buildTask?.cancel()
        case .startRelease, .audit, .resume, .inspect, .quit:
            break
        }
    }

    /// Waits for the engine work to end; the published journal, or nil when nothing was published.
    func finish() async -> ReleaseJournal? {
        await buildTask?.value
        await publishTask?.value
        return published
    }

    private func buildAndPrepare() async {
        let inbox = self.inbox
        do {
            let built = try await session.build(failFast: failFast) { event in
                switch event {
                case .build(let build): inbox.post(contentsOf: BuildEventPresenter.events(for: build))
                case .message(let message): inbox.post(.status(message))
                case .phase, .pending, .registry: break
                }
            }
            inbox.post(.digests(ReleasePresenter.digestsViewModel(journal: built)))
            guard built.phase == .built || !allowPartial.isEmpty, !Task.isCancelled else {
                inbox.post(.status("The builds ended \(built.phase.rawValue): nothing can be published. Press q to leave."))
                return
            }
            let pending = try await session.prepare(allowPartial: allowPartial, allowDowngrade: allowDowngrade)
            self.pending = pending
            inbox.post(contentsOf: [
                .pendingTags(PendingTagsPresenter.viewModel(pending, version: version)),
                .publish(PublishPresenter(pending: pending).viewModel),
                .show(.pendingTags),
                .status("Every platform is built: review the pending tags, then press p to publish."),
            ])
        } catch {
            inbox.post(.status("The release stopped: \(error)"))
        }
    }

    private func publish(_ pending: PendingTagSet) async {
        let inbox = self.inbox
        let progress = PublishProgress(PublishPresenter(pending: pending))
        do {
            let journal = try await session.publish(Confirmation(confirming: pending)) { event in
                switch event {
                case .registry(let publication): inbox.post(.publish(progress.apply(publication)))
                case .message(let message): inbox.post(.status(message))
                case .build, .phase, .pending: break
                }
            }
            for publication in journal.publications { inbox.post(.publish(progress.apply(publication))) }
            inbox.post(.digests(ReleasePresenter.digestsViewModel(journal: journal)))
            inbox.post(.status(journal.phase == .verified
                ? "Verified: every tag points to the new index. Press q to leave."
                : "Publishing ended \(journal.phase.rawValue): see the verification above. Press q to leave."))
            published = journal
        } catch {
            inbox.post(.status("Publishing failed: \(error)"))
        }
    }
}

/// The publish screen's presenter, shared with the engine's event callback.
private final class PublishProgress: Sendable {
    private let presenter: Mutex<PublishPresenter>

    init(_ presenter: PublishPresenter) { self.presenter = Mutex(presenter) }

    /// Applies one registry's state; returns the view-model to show.
    func apply(_ publication: ReleaseJournal.RegistryPublication) -> PublishViewModel {
        presenter.withLock { $0.apply(publication); return $0.viewModel }
    }
}
