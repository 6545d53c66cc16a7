import ArgumentParser
import Foundation
import GantryEngine
import GantryTUI

/// `gantry` with no arguments: the console's home screen (release, audit, recover).
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console: release, audit, recover (what `gantry` with no arguments does).",
        discussion: """
            Needs a terminal on stdin and stdout; without one it prints a short help and exits 0.
            The release itself opens with `gantry release VERSION`.
            """
    )

    @OptionGroup var options: ConfigOptions

    static let plainHelp = """
        gantry: no terminal, so no console. Commands:
          gantry plan VERSION        what a release would do
          gantry release VERSION     build, confirm and publish (add --no-tui --yes for scripts)
          gantry audit REF...        what tags point to, in every registry
          gantry resume ID           continue an interrupted release
          gantry --help              everything else

        """

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardOutput.write(Data(Self.plainHelp.utf8))
            return
        }
        // The home screen works without a config: audit and recover need none.
        let config = try? options.loadConfig()
        let state = options.state
        let journals = JournalStore(state: state).list().compactMap { try? $0.get() }
        let recover = ReleasePresenter.recoverViewModel(journals: journals)
        let inbox = ConsoleInbox()
        inbox.post(contentsOf: [
            .home(HomeViewModel(
                configPath: config == nil ? "" : options.configPath, image: config?.image ?? "", nextVersion: nil,
                unfinishedReleases: recover.releases.count)),
            .recover(recover),
        ])
        let client = RegistryClient(configuration: RegistryClientConfiguration(
            insecureHosts: Set(config?.registries.filter(\.insecure).map(\.host) ?? [])))
        let driver = HomeConsoleDriver(client: client, config: config, journals: journals, configPath: options.configPath, inbox: inbox)
        await driver.listConfiguredTags()
        let console = Console(screen: .home, theme: .monochrome)
        let outcome: ConsoleOutcome
        do {
            (outcome, _) = try await ConsoleLoop().run(console, terminal: NcursesTerminal(), inbox: inbox) { await driver.handle($0) }
        } catch {
            await driver.stop()
            try? await client.shutdown()
            throw error
        }
        await driver.stop()
        try? await client.shutdown()
        switch outcome {
        case .interrupted(let signal): throw ExitCode(128 + signal)
        case .resume(let id): try await resume(id)
        case .quit: break
        }
    }

    /// Continues release `id` in the release console (what Recover → resume asks for).
    private func resume(_ id: String) async throws {
        let journal = try JournalStore(state: options.state).load(ReleaseID(rawValue: id))
        guard let version = journal.version, journal.kind == .release, !journal.phase.isFinished else {
            throw ValidationError("\(id) cannot be resumed (\(journal.kind.rawValue), \(journal.phase.rawValue))")
        }
        let session = try await ResumeCommand.session(resuming: journal, options: options, publisher: nil)
        defer { Task { try? await session.toolchain.client.shutdown() } }
        let plan = ReleasePlan(
            config: session.config, version: version, state: options.state, builder: session.toolchain.builder,
            publisher: session.toolchain.publisher, revision: session.revision)
        let final = try await ReleaseConsole.run(session: session, plan: plan, allowPartial: [], allowDowngrade: false)
        guard final?.phase == .verified else { throw ExitCode(1) }
    }
}

/// Carries out what the user asks on the home, audit and recover screens.
actor HomeConsoleDriver {
    private let client: RegistryClient
    private let config: ReleaseConfig?
    private let journals: [ReleaseJournal]
    private let configPath: String
    private let inbox: ConsoleInbox
    private var work: [Task<Void, Never>] = []

    init(client: RegistryClient, config: ReleaseConfig?, journals: [ReleaseJournal], configPath: String, inbox: ConsoleInbox) {
        self.client = client
        self.config = config
        self.journals = journals
        self.configPath = configPath
        self.inbox = inbox
    }

    /// Fills the audit screen's tag list with the configured repository's tags (first registry).
    func listConfiguredTags() {
        guard let config, let repository = config.repositories.first else { return }
        let auditor = Auditor(client: client)
        let inbox = self.inbox
        work.append(Task {
            guard let listing = try? await auditor.listTags(repository) else { return }
            inbox.post(.audit(AuditViewModel(
                reference: "", indexDigest: nil, platforms: [], findings: [], sharedTags: [],
                candidateTags: listing.groups.flatMap(\.tags).sorted())))
        })
    }

    func handle(_ intent: ConsoleIntent) {
        switch intent {
        case .startRelease:
            inbox.post(contentsOf: [
                .show(.home),
                .status("Start a release from the shell: gantry release VERSION --config \(configPath)"),
            ])
        case .audit(let text):
            audit(text)
        case .inspect(let id):
            inspect(id)
        case .resume, .publish, .decline, .cancelBuilds, .quit:
            // Resume ends the home loop; `run` then continues the release in the release console.
            break
        }
    }

    func stop() async {
        for task in work { task.cancel() }
        for task in work { await task.value }
    }

    private func audit(_ text: String) {
        let reference: ImageReference
        do { reference = try ImageReference.parse(text) } catch {
            inbox.post(.status(error.description))
            return
        }
        inbox.post(.audit(AuditViewModel(reference: text, indexDigest: nil, platforms: [], findings: [], sharedTags: [], candidateTags: [], isLoading: true)))
        let references = [reference] + sameTagElsewhere(reference)
        let auditor = Auditor(client: client)
        let inbox = self.inbox
        work.append(Task {
            let report = await auditor.audit(references)
            let listing = try? await auditor.listTags(ImageReference(registry: reference.registry, repository: reference.repository))
            inbox.post(.audit(AuditPresenter.viewModel(report, listing: listing)))
        })
    }

    /// The same tag of the configured image in the other registries, so drift shows.
    private func sameTagElsewhere(_ reference: ImageReference) -> [ImageReference] {
        guard let config, let tag = reference.tag, reference.digest == nil,
              config.repositories.contains(where: { $0.registry == reference.registry && $0.repository == reference.repository })
        else { return [] }
        return config.repositories.filter { $0.registry != reference.registry }.map { $0.with(tag: tag) }
    }

    private func inspect(_ id: String) {
        guard let journal = journals.first(where: { $0.id.rawValue == id }) else { return }
        inbox.post(.status("\(journal.id): \(ReleasePresenter.stage(of: journal)). Enter resumes it here (or: gantry resume \(journal.id))"))
    }
}
