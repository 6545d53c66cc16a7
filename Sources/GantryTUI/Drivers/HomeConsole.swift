import Foundation
import GantryEngine

/// The console's home, audit, recover and journal screens (what `gantry` with no arguments
/// opens). Recover → Enter continues a release, Audit → Enter on a finding runs its repair,
/// and Journal/Recover → `D` publishes a CI run's digests, in the release console
/// (`ReleaseConsole`); Journal → `b` rolls one back here, and a repair that moves a tag
/// (`gantry tag`) runs here too (`ConfirmingFlowDriver`).
public enum HomeConsole {
    /// Runs the home console until the user quits or picks a release to resume; returns how it ended.
    /// `configError` is why the config at `configPath` could not be loaded, shown on the home screen;
    /// `caBundle` is `--ca-bundle`.
    public static func run(
        config: ReleaseConfig?, configError: RecordedError? = nil, configPath: String, state: StateDirectory, caBundle: String? = nil
    ) async throws -> ConsoleOutcome {
        try await run(config: config, configError: configError, configPath: configPath, state: state, caBundle: caBundle, terminal: NcursesTerminal())
    }

    /// The same on `terminal` (a headless one in tests).
    public static func run(
        config: ReleaseConfig?, configError: RecordedError? = nil, configPath: String, state: StateDirectory, caBundle: String? = nil,
        terminal: some ConsoleTerminal
    ) async throws -> ConsoleOutcome {
        try await run(
            config: config, configError: configError, configPath: configPath, state: state, caBundle: caBundle, terminal: terminal,
            commandLog: CommandLog()
        ).outcome
    }

    /// The same, showing `commandLog` (the session's so far) under `L`; returns it with what Home added.
    static func run(
        config: ReleaseConfig?, configError: RecordedError?, configPath: String, state: StateDirectory, caBundle: String?,
        terminal: some ConsoleTerminal, commandLog: CommandLog
    ) async throws -> (outcome: ConsoleOutcome, commandLog: CommandLog) {
        let journals = JournalCache()
        let listings = try JournalStore(state: state).list(cache: journals)
        let recover = ReleasePresenter.recoverViewModel(listings: listings)
        let inbox = ConsoleInbox()
        inbox.post(contentsOf: [
            .home(HomeViewModel(
                configPath: config == nil && configError == nil ? "" : configPath, image: config?.image ?? "", nextVersion: nil,
                unfinishedReleases: recover.releases.count, configProblems: configError?.message.split(separator: "\n").map(String.init) ?? [],
                images: config.map(HomeConsoleDriver.images) ?? [])),
            .recover(recover),
            .journal(JournalPresenter.viewModel(listings: listings)),
        ])
        return try await RegistryClient.with(RegistryClientConfiguration(registries: config?.registries ?? [], caBundle: caBundle)) { client in
            let driver = HomeConsoleDriver(
                client: client, config: config, configError: configError, listings: listings, state: state, caBundle: caBundle,
                configPath: configPath, inbox: inbox, journals: journals)
            await driver.listConfiguredTags()
            await driver.watchJournals()
            var shown = ReleaseState()
            shown.commandLog = commandLog
            let console = Console(state: shown, screen: .home, theme: .monochrome)
            do {
                let (outcome, closed) = try await ConsoleLoop().run(console, terminal: terminal, inbox: inbox) { await driver.handle($0) }
                await driver.stop()
                return (outcome, closed.state.commandLog)
            } catch {
                await driver.stop()
                throw error
            }
        }
    }
}

/// Carries out what the user asks on the home, audit, recover and journal screens.
actor HomeConsoleDriver {
    private let client: RegistryClient
    private let config: ReleaseConfig?
    /// Why the config could not be loaded, when it could not.
    private let configError: RecordedError?
    private var listings: [JournalListing]
    private let state: StateDirectory
    /// `--ca-bundle`, for the rollback's own client.
    private let caBundle: String?
    private let configPath: String
    private let inbox: ConsoleInbox
    /// The journals read so far: the refresh every 2 s decodes only those written since.
    private let journals: JournalCache
    private var work: [Task<Void, Never>] = []
    /// The reference last audited: the tag listing, when it arrives late, must not replace its
    /// result, and it is read again after this console moves tags.
    private var lastAudited: String?
    /// The audit whose result the screen is waiting for: a new one cancels it, and an older
    /// one that still answers is dropped (its number is no longer `auditNumber`).
    private var runningAudit: Task<Void, Never>?
    private var auditNumber = 0
    /// The CI digests being read and looked up (`D`), off the key loop.
    private var digestLookup: Task<Void, Never>?
    /// The rollback or tag repair started here, while its flow runs.
    private var confirming: ConfirmingFlowDriver?

    init(
        client: RegistryClient, config: ReleaseConfig?, configError: RecordedError?, listings: [JournalListing], state: StateDirectory,
        caBundle: String?, configPath: String, inbox: ConsoleInbox, journals: JournalCache = JournalCache()
    ) {
        self.journals = journals
        self.state = state
        self.caBundle = caBundle
        self.client = client
        self.config = config
        self.configError = configError
        self.listings = listings
        self.configPath = configPath
        self.inbox = inbox
    }

    /// A family config's images, as Home names them (none for one image; a Bake group's
    /// targets are read only when it is released).
    static func images(of config: ReleaseConfig) -> [String] {
        let family = ImageFamily(config)
        return family.isFamily ? family.members.map(\.name) : []
    }

    /// Fills the audit screen's tag list with the configured repository's tags (first
    /// registry), and offers the versions after its newest version tag for a new release.
    func listConfiguredTags() {
        guard let config, let repository = config.repositories.first else { return }
        let auditor = Auditor(client: client)
        let inbox = self.inbox
        let (configPath, unfinished) = (self.configPath, ReleasePresenter.recoverViewModel(listings: listings).releases.count)
        let halfPublished = HalfPublishedRelease.newest(of: config.image, in: listings)
        let home = { @Sendable (newest: SemanticVersion?, source: String) in
            let suggestions = VersionSuggestions.after(newest, halfPublished: halfPublished).map(\.version.description)
            return HomeViewModel(
                configPath: configPath, image: config.image, nextVersion: suggestions.first,
                unfinishedReleases: unfinished, suggestions: suggestions, suggestionSource: source,
                halfPublished: halfPublished.map(HomeViewModel.HalfPublished.init), images: Self.images(of: config))
        }
        inbox.post(.home(home(nil, "no version tag read yet")))
        work.append(Task {
            let listing: TagListing
            do { listing = try await auditor.listTags(repository) } catch {
                let why = Self.unlisted(repository, error)
                inbox.post(contentsOf: [.home(home(nil, why)), .status(why)])
                return
            }
            let tags = listing.groups.flatMap(\.tags)
            // A family's line: another variant's tags (1.5.0-slim) are not its versions.
            let family = ImageFamily(config)
            let newest = family.isFamily ? family.versionLine(of: family.primary).newest(in: tags) : VersionSuggestions.newest(in: tags)
            inbox.post(.home(home(newest, newest.map { "after \($0), the newest in \(repository.registry)" } ?? "no version tag in \(repository.registry)")))
            if self.lastAudited == nil {
                inbox.post(.audit(AuditViewModel(reference: "", platforms: [], findings: [], sharedTags: [], candidateTags: tags.sorted())))
            }
        })
    }

    func handle(_ intent: ConsoleIntent) async {
        switch intent {
        case .startRelease(let text):
            startRelease(text)
        case .audit(let text):
            audit(text)
        case .history(let reference):
            history(reference)
        case .repair(let operation):
            await openRepair(operation)
        case .inspect(let id):
            inspect(id)
        case .dismiss(let id):
            do {
                try JournalStore(state: state).abandon(ReleaseID(id))
                inbox.post(.status("\(id) dismissed: its journal says abandoned; nothing was deleted."))
                refreshRecover()
            } catch {
                inbox.post(.status(RecordedError(error).message))
            }
        case .rollback(let id):
            await startRollback(id)
        case .publishDigests(let version, let paths):
            publishDigests(version, paths)
        case .publish(let typed):
            await confirming?.confirmed(typedVersion: typed)
        case .decline:
            await confirming?.declined()
        case .resume, .retry, .cancel, .publishWithout, .cancelBuilds, .quit, .home:
            // Resume ends the home loop; the caller then continues the release in the release console.
            break
        }
    }

    /// Reads the journals again for Recover and the journal screen (after a dismiss or a
    /// rollback, and every few seconds: other processes start, finish and crash meanwhile).
    func refreshRecover() {
        let fresh: [JournalListing]
        do { fresh = try JournalStore(state: state).list(cache: journals) } catch {
            // The lists shown stay as last read; the status says they are stale, and why.
            inbox.post(.status("could not read the journals again: \(RecordedError(error).message)"))
            return
        }
        listings = fresh
        inbox.post(contentsOf: [.recover(ReleasePresenter.recoverViewModel(listings: fresh)), .journal(JournalPresenter.viewModel(listings: fresh))])
    }

    /// `b` on the journal screen: the rollback flow of `id` runs here, one at a time.
    private func startRollback(_ id: String) async {
        let release: ReleaseID
        do { release = try ReleaseID(id) } catch {
            inbox.post(.status(error.description))
            return
        }
        await startConfirming(.rollback(
            release, environment: FlowEnvironment(state: state, caBundle: caBundle), inbox: inbox, versions: JournalPresenter.versions(listings: listings)))
    }

    /// Runs `driver`'s flow here, one such flow at a time.
    private func startConfirming(_ driver: ConfirmingFlowDriver) async {
        guard confirming == nil else {
            inbox.post(.status("A rollback or tag repair is under way: wait for it to end."))
            return
        }
        confirming = driver
        await driver.start { await self.confirmingEnded() }
    }

    private func confirmingEnded() {
        confirming = nil
        refreshRecover()
        // Tags moved: the audit shown is read again, so going back to it shows the registries now.
        // Quietly: the status line belongs to what the user did last, not to this re-read.
        if let lastAudited { audit(lastAudited, announcing: false) }
    }

    /// Keeps Recover current while the console is open.
    func watchJournals() {
        work.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))  // refresh period, not synchronisation
                guard !Task.isCancelled else { return }
                self.refreshRecover()
            }
        })
    }

    func stop() async {
        await confirming?.closed()
        let tasks = work + [runningAudit, digestLookup].compactMap { $0 }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// Audits `text`; `announcing` says the warnings in the status line too.
    private func audit(_ text: String, announcing: Bool = true) {
        let targets: [AuditTarget]
        if let config, !config.images.isEmpty, let version = try? SemanticVersion.parse(text) {
            // A family's version: every image's release tags in every registry, side by side
            // (a Bake group's images are known once `bake --print` is read: `gantry audit --release-version`).
            targets = Auditor.releaseTargets(config: config, version: version)
        } else {
            do { targets = AuditScope(references: [try AuditScope.reference(text, config: config)], config: config).targets } catch {
                inbox.post(.status(error.description))
                return
            }
        }
        guard let reference = targets.first?.reference else { return }
        lastAudited = text
        inbox.post(.audit(AuditViewModel(reference: text, platforms: [], findings: [], sharedTags: [], candidateTags: [], isLoading: true)))
        let auditor = Auditor(client: client)
        let advisor = RepairAdvisor(client: client)
        let (inbox, state, config) = (self.inbox, self.state, self.config)
        runningAudit?.cancel()
        auditNumber += 1
        let number = auditNumber
        runningAudit = Task {
            let report = await auditor.audit(targets)
            let repository = ImageReference(registry: reference.registry, repository: reference.repository)
            var warnings: [String] = []
            let listing: TagListing?
            do { listing = try await auditor.listTags(repository) } catch {
                listing = nil
                warnings.append(Self.unlisted(repository, error))
            }
            // The journals as they are now: a release may have finished since the list was read.
            let advice = await advisor.advice(for: report, state: state, config: config)
            warnings += advice.warnings
            // As the CLI lists them: the journals not proposed, and why.
            warnings += advice.skippedJournals.map { "not proposed: \($0.id): \($0.reason)" }
            // A newer audit was asked for meanwhile: its result, not this one, is what the screen shows.
            guard number == self.auditNumber else { return }
            inbox.post(.audit(AuditPresenter.viewModel(report, listing: listing, advice: advice)))
            if announcing, !warnings.isEmpty { inbox.post(.status(warnings.joined(separator: "; "))) }
        }
    }

    /// Reads the tag's history from its release records into the audit's history pane.
    private func history(_ text: String) {
        guard let reference = try? ImageReference.parse(text) else { return }
        inbox.post(.tagHistory(.loading(text)))
        let (client, inbox) = (self.client, self.inbox)
        work.append(Task {
            do {
                inbox.post(.tagHistory(TagHistoryViewModel(try await TagHistory(client: client).timeline(of: reference))))
            } catch {
                inbox.post(.tagHistory(TagHistoryViewModel(reference: text, problems: ["the history could not be read: \(RecordedError(error).message)"])))
            }
        })
    }

    /// What the status line says when `repository`'s tags could not be listed.
    private static func unlisted(_ repository: ImageReference, _ error: any Error) -> String {
        "could not list the tags of \(repository.name): \(RecordedError(error).message)"
    }

    /// Checks that the engine can open the repair as a flow here (a config to publish with,
    /// a known version); a tag move runs here, in the confirmation dialog; any other repair
    /// leaves the home console for the release console. Says why in the console when not.
    private func openRepair(_ operation: RepairOperation) async {
        do {
            switch try operation.flow(config: config, state: state) {
            case .tag(let start):
                await startConfirming(.tag(
                    start, command: operation.command, environment: FlowEnvironment(state: state, client: client), inbox: inbox,
                    versions: JournalPresenter.versions(listings: listings)))
            case .release, .family:
                inbox.post(.leave(.repair(operation)))
            }
        } catch {
            inbox.post(.status(RecordedError(error).message))
        }
    }

    /// Validates `text` as `gantry release` would (semver, every tag valid for the config);
    /// leaves the home console for the release console when it is, says why when not.
    private func startRelease(_ text: String) {
        guard let (_, version) = checkedVersion(text) else { return }
        inbox.post(.leave(.release(version: version.description)))
    }

    /// The config and `text` as a version every tag of the config accepts; nil (and why, in
    /// the status line) when there is no config or the version does not do.
    private func checkedVersion(_ text: String) -> (ReleaseConfig, SemanticVersion)? {
        guard let config else {
            inbox.post(.status(configError.map { "\(configPath): \($0.message)" } ?? "No release config at \(configPath): pass --config PATH or set GANTRY_CONFIG."))
            return nil
        }
        do {
            let version = try SemanticVersion.parse(text)
            _ = try TagSet.checked(config, version: version)
            return (config, version)
        } catch {
            inbox.post(.status(RecordedError(error).message))
            return nil
        }
    }

    /// Reads a CI run's digests (or buildx metadata) and checks them in the registries here, so
    /// a wrong version, path or digest is said in the console; then the publish flow takes over.
    /// The lookups run off the key loop (the console keeps drawing and answering); a second
    /// `D` replaces the first.
    private func publishDigests(_ text: String, _ paths: [String]) {
        guard let (config, version) = checkedVersion(text) else { return }
        if config.releasesFamily {
            inbox.post(.status("\(configPath) releases a family of images: publish its CI digests with `gantry publish --release-version \(text) --from-digests PATH` (each digest file names its image); D here publishes one image's."))
            return
        }
        let urls = paths.map { URL(fileURLWithPath: $0) }
        if let missing = urls.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
            inbox.post(.status("\(missing.path): no such file or folder"))
            return
        }
        inbox.post(.status("Reading \(paths.count) path(s) and looking its digests up in the registries…"))
        let (inbox, client) = (self.inbox, self.client)
        digestLookup?.cancel()
        digestLookup = Task {
            do {
                let sources = try await PlatformSourceImport.guessing(urls).sources(config: config, client: client)
                // A replaced lookup says nothing: the newer one answers.
                if !Task.isCancelled { inbox.post(.leave(.publish(version: version.description, sources: sources))) }
            } catch {
                if !Task.isCancelled { inbox.post(.status(RecordedError(error).message)) }
            }
        }
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
