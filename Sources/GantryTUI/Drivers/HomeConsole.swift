import Foundation
import GantryEngine

/// The console's home, audit and recover screens (what `gantry` with no arguments opens).
/// Recover → Enter continues a release in the release console (`ReleaseConsole`).
public enum HomeConsole {
    /// Runs the home console until the user quits or picks a release to resume; returns how it ended.
    public static func run(config: ReleaseConfig?, configPath: String, state: StateDirectory) async throws -> ConsoleOutcome {
        try await run(config: config, configPath: configPath, state: state, terminal: NcursesTerminal())
    }

    /// The same on `terminal` (a headless one in tests).
    public static func run(
        config: ReleaseConfig?, configPath: String, state: StateDirectory, terminal: some ConsoleTerminal
    ) async throws -> ConsoleOutcome {
        let listings = try JournalStore(state: state).list()
        let recover = ReleasePresenter.recoverViewModel(listings: listings)
        let inbox = ConsoleInbox()
        inbox.post(contentsOf: [
            .home(HomeViewModel(
                configPath: config == nil ? "" : configPath, image: config?.image ?? "", nextVersion: nil,
                unfinishedReleases: recover.releases.count)),
            .recover(recover),
        ])
        return try await RegistryClient.with(RegistryClientConfiguration(
            insecureHosts: Set(config?.registries.filter(\.insecure).map(\.host) ?? []))) { client in
            let driver = HomeConsoleDriver(client: client, config: config, listings: listings, configPath: configPath, inbox: inbox)
            await driver.listConfiguredTags()
            let console = Console(screen: .home, theme: .monochrome)
            do {
                let (outcome, _) = try await ConsoleLoop().run(console, terminal: terminal, inbox: inbox) { await driver.handle($0) }
                await driver.stop()
                return outcome
            } catch {
                await driver.stop()
                throw error
            }
        }
    }
}

/// Carries out what the user asks on the home, audit and recover screens.
actor HomeConsoleDriver {
    private let client: RegistryClient
    private let config: ReleaseConfig?
    private let listings: [JournalListing]
    private let configPath: String
    private let inbox: ConsoleInbox
    private var work: [Task<Void, Never>] = []

    init(client: RegistryClient, config: ReleaseConfig?, listings: [JournalListing], configPath: String, inbox: ConsoleInbox) {
        self.client = client
        self.config = config
        self.listings = listings
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
        case .resume, .publish, .decline, .retry, .cancel, .publishWithout, .cancelBuilds, .quit:
            // Resume ends the home loop; the caller then continues the release in the release console.
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
        guard let listing = listings.first(where: { $0.folder.id.rawValue == id }) else { return }
        switch listing.journal {
        case .success(let journal):
            let running = listing.runner.map { "running (\($0)); " } ?? ""
            inbox.post(.status("\(journal.id): \(running)\(ReleasePresenter.stage(of: journal)). Enter resumes it here (or: gantry resume \(journal.id))"))
        case .failure(let error):
            inbox.post(.status(error.description))
        }
    }
}
