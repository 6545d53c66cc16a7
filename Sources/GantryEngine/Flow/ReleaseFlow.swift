import Foundation

/// One release, build, publish, promotion or resume, from start to verified tags: the only place
/// that decides what may happen next. Front ends choose where its events go and how the
/// user answers (`ReleaseInteraction`); they ask `refusal(for:)` before offering an action.
///
/// The flow owns its release for its whole life: it holds the release's lock (a second
/// resume refuses), journals every setting when it starts, journals each platform's
/// result before reporting it, and publishes only a confirmation of the exact pending
/// tag set it showed.
public actor ReleaseFlow {
    public nonisolated let id: ReleaseID
    public nonisolated let kind: ReleaseJournal.Kind
    public nonisolated let config: ReleaseConfig
    public nonisolated let settings: ReleaseSettings
    public nonisolated let toolchain: ReleaseToolchain
    public nonisolated let folder: ReleaseFolder
    public nonisolated let version: SemanticVersion?

    private let recorder: JournalRecorder
    private let lock: FileLock
    private let ownsClient: Bool
    private let events: @Sendable (ReleaseEvent) -> Void

    public private(set) var stage: FlowStage
    /// Platforms publishing may leave out: `--allow-partial`, and those the user excused since.
    private var excused: Set<Platform>
    private var pending: PendingTagSet?
    private var runner: BuildRunner?
    private var forwarding: Task<Void, Never>?
    private var cancelRequested = false
    /// Terminal build events journaled (and then reported) so far, per platform.
    private var journaledOutcomes: [Platform: Int] = [:]
    private var outcomeWaiters: [(target: [Platform: Int], continuation: CheckedContinuation<Void, Never>)] = []
    /// A journal write that failed while builds ran: the flow stops with it.
    private var journalFailure: (any Error)?

    private init(
        recorder: JournalRecorder, journal: ReleaseJournal, lock: FileLock, config: ReleaseConfig, settings: ReleaseSettings,
        toolchain: ReleaseToolchain, ownsClient: Bool, state: StateDirectory, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) {
        self.recorder = recorder
        self.id = journal.id
        self.version = journal.version
        self.kind = journal.kind
        self.lock = lock
        self.config = config
        self.settings = settings
        self.toolchain = toolchain
        self.ownsClient = ownsClient
        self.folder = state.release(journal.id)
        self.events = events
        switch journal.kind {
        case .publish: stage = .built
        case .promote: stage = .copying
        case .release, .build, .rollback: stage = .building
        }
        self.excused = Set(journal.settings?.allowPartial ?? settings.allowPartial)
    }

    /// The journal as recorded so far.
    public var journal: ReleaseJournal { get async { await recorder.journal } }

    // MARK: - Opening and closing

    /// Opens the flow `request` asks for, runs `body` with it, and closes it (builds
    /// stopped, lock released, the registry client shut down) however `body` ends.
    public static func with<T: Sendable>(
        _ request: FlowRequest, in environment: FlowEnvironment,
        events: @escaping @Sendable (ReleaseEvent) -> Void = { _ in },
        _ body: (ReleaseFlow) async throws -> T
    ) async throws -> T {
        let flow = try await open(request, in: environment, events: events)
        do {
            let value = try await body(flow)
            await flow.close()
            return value
        } catch {
            await flow.close()
            throw error
        }
    }

    private static func open(
        _ request: FlowRequest, in environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) async throws -> ReleaseFlow {
        switch request {
        case .release(let config, let version, let options):
            return try await start(.release, config: config, version: version, options: options, environment: environment, events: events)
        case .build(let config, let version, let options, let platforms):
            return try await start(.build, config: config, version: version, options: options, environment: environment, events: events) { journal, _ in
                if let platforms { journal.platforms = journal.platforms.filter { platforms.contains($0.platform) } }
            }
        case .publish(let config, let version, let sources, let options):
            return try await start(.publish, config: config, version: version, options: options, environment: environment, events: events) { journal, _ in
                journal.platforms = sources.map {
                    ReleaseJournal.PlatformRecord(platform: $0.platform, state: .built, result: BuildResult(platform: $0.platform, manifestDigest: $0.digest))
                }
                journal.phase = .built
                journal.note("publishing \(sources.count) existing digests")
            }
        case .promote(let config, let version, let from, let to, var options):
            // The verified index is published as it is: only the native publisher writes those bytes.
            options.publisher = .native
            return try await start(.promote, config: config, version: version, options: options, environment: environment, events: events) { journal, client in
                let (source, targets) = try Promotion.registries(config: config, from: from, to: to)
                let (promotion, results) = try await Promotion.resolve(config: config, version: version, from: source, client: client)
                journal.registries = targets
                journal.publications = targets.map { ReleaseJournal.RegistryPublication(registry: $0.host) }
                journal.promotion = promotion
                journal.platforms = results.map { ReleaseJournal.PlatformRecord(platform: $0.platform, state: .built, result: $0) }
                journal.phase = .copying
                journal.note("promoting \(source.host)/\(config.image):\(promotion.tag) (\(Digest.short(promotion.indexDigest))) to \(targets.map(\.host).joined(separator: ", "))")
            }
        case .resume(let id, let config):
            return try await resume(id, config: config, in: environment, events: events)
        }
    }

    /// Starts a new flow; `shape` fills in the new journal (reading registries with the
    /// flow's client) before anything is written.
    private static func start(
        _ kind: ReleaseJournal.Kind, config: ReleaseConfig, version: SemanticVersion, options: FlowOptions,
        environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void,
        shape: (inout ReleaseJournal, RegistryClient) async throws -> Void = { _, _ in }
    ) async throws -> ReleaseFlow {
        let fingerprint = try ReleaseSettings.fingerprint(ofConfigAt: config.source)
        let chosen = await ReleaseToolchain.resolve(
            builder: options.builder ?? config.builder, publisher: options.publisher ?? config.publisher,
            docker: environment.docker, environment: environment.environment)
        let revision = SourceRevision.resolve(options.revision, for: config)
        let annotations = IndexAnnotations.make(
            config: config, version: version.description, revision: revision, created: IndexAnnotations.timestamp(environment.now()),
            source: IndexAnnotations.configuredSource(config) ?? IndexAnnotations.githubSource())
        let settings = ReleaseSettings(
            configPath: fingerprint.path, configDigest: fingerprint.digest, builder: chosen.builder, publisher: chosen.publisher,
            revision: revision, allowPartial: options.allowPartial.sorted(), allowDowngrade: options.allowDowngrade,
            attestations: config.attestations, failFast: options.failFast,
            annotations: annotations)
        var journal = ReleaseJournal(
            id: ReleaseID.make(image: config.image, version: version, date: environment.now()), kind: kind, image: config.image, version: version,
            registries: config.registries, tags: try TagSet.checked(config, version: version).tags,
            expectedPlatforms: config.platforms.map(\.platform), configPath: fingerprint.path, settings: settings, now: environment.now())
        let toolchain = try toolchain(settings, config: config, environment: environment)
        let ownsClient = environment.client == nil
        return try await opening(toolchain, ownsClient: ownsClient) {
            // Before anything is journaled: a release that cannot start leaves nothing to resume.
            let again = kind == .release || kind == .build ? "`gantry \(kind.rawValue) \(version)`" : "the same `gantry \(kind.rawValue)` command"
            try await ToolchainPreflight(toolchain: toolchain, registries: config.registries).check(
                builds: kind == .release || kind == .build, publishes: kind != .build, configPath: fingerprint.path, next: again)
            try await shape(&journal, toolchain.client)
            let recorder = try JournalRecorder(creating: journal, store: JournalStore(state: environment.state))
            let created = await recorder.journal
            // The id is new and unique: nobody else can hold its lock yet.
            guard case .acquired(let lock) = try FileLock.acquire(at: environment.state.release(created.id).lock, purpose: "\(kind.rawValue) \(created.id)") else {
                throw FlowError.running(created.id, nil)
            }
            return ReleaseFlow(
                recorder: recorder, journal: created, lock: lock, config: config, settings: settings,
                toolchain: toolchain, ownsClient: ownsClient, state: environment.state, events: events)
        }
    }

    /// Runs `open`; when it fails, shuts the client down if the flow would have owned it.
    private static func opening(_ toolchain: ReleaseToolchain, ownsClient: Bool, _ open: () async throws -> ReleaseFlow) async throws -> ReleaseFlow {
        do {
            return try await open()
        } catch {
            if ownsClient { try? await toolchain.client.shutdown() }
            throw error
        }
    }

    private static func resume(
        _ id: ReleaseID?, config given: String?, in environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void
    ) async throws -> ReleaseFlow {
        let store = JournalStore(state: environment.state)
        let chosen = try id ?? newestUnfinished(in: store)
        let folder = environment.state.release(chosen)
        guard FileManager.default.fileExists(atPath: folder.journal.path) else {
            throw JournalError(path: folder.journal.path, reason: "no release \(chosen) in \(environment.state.root.path) (see `gantry journal list`)")
        }
        let lock: FileLock
        switch try FileLock.acquire(at: folder.lock, purpose: "resume \(chosen)") {
        case .acquired(let held): lock = held
        case .held(let holder): throw FlowError.running(chosen, holder)
        }
        do {
            // Read under the lock: what another process wrote before it stopped is current.
            let journal = try store.load(chosen)
            let settings = try resumableSettings(of: journal, config: given)
            var config = try ReleaseConfigLoader.load(path: settings.configPath)
            // Platforms a Bake target gave are the journaled ones: the Bake file may have changed since.
            if config.takesPlatformsFromBake { config.platforms = journal.expectedPlatforms.map { PlatformTarget(platform: $0) } }
            let toolchain = try toolchain(settings, config: config, environment: environment)
            let ownsClient = environment.client == nil
            return try await opening(toolchain, ownsClient: ownsClient) {
                // Before the journal says resumed: a resume that cannot start leaves it as it was.
                let builds = (journal.kind == .release || journal.kind == .build) && journal.platforms.contains { !$0.state.hasDigest }
                try await ToolchainPreflight(toolchain: toolchain, registries: journal.registries).check(
                    builds: builds, publishes: journal.kind != .build, configPath: settings.configPath, next: "`gantry resume \(chosen)`")
                folder.removeStaleTemporaryFiles()
                let recorder = JournalRecorder(resuming: journal, store: store)
                try await recorder.update("resumed by pid \(getpid()) (\(journal.phase.rawValue))") { _ in }
                return ReleaseFlow(
                    recorder: recorder, journal: journal, lock: lock, config: config, settings: settings,
                    toolchain: toolchain, ownsClient: ownsClient, state: environment.state, events: events)
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// Why the release journaled in `journal` cannot be resumed (finished, a rollback, no
    /// recorded settings, a config changed since), or its settings when it can.
    private static func resumableSettings(of journal: ReleaseJournal, config given: String?) throws -> ReleaseSettings {
        let id = journal.id
        guard journal.kind != .rollback else {
            throw FlowError(.notResumable, "\(id) is a rollback; run `gantry rollback \(journal.rollbackOf?.rawValue ?? "ID")` again instead")
        }
        guard !journal.isFinished else {
            throw FlowError(.notResumable, "\(journal.kind.rawValue) \(id) is \(journal.phase.rawValue); there is nothing to resume")
        }
        guard let settings = journal.settings else {
            throw FlowError(.notResumable, "\(id) was journaled by a Gantry that did not record its settings; publish its digests with `gantry publish \(id)`")
        }
        if let given, URL(fileURLWithPath: given).standardizedFileURL.path != settings.configPath {
            throw FlowError(.configChanged, "\(id) was started with the config \(settings.configPath), not \(given); a resume runs with the config it started with")
        }
        let now = try ReleaseSettings.fingerprint(ofConfigAt: settings.configPath)
        guard now.digest == settings.configDigest else {
            throw FlowError(.configChanged, "\(settings.configPath) changed since \(id) started (\(Digest.short(settings.configDigest)) then, \(Digest.short(now.digest)) now); a resume runs with the config it started with: restore it, or start a new release")
        }
        return settings
    }

    /// Why `listing` cannot be resumed now, or nil when a resume would start: what Recover
    /// shows instead of leaving the console for a resume that would refuse.
    public static func resumeRefusal(of listing: JournalListing) -> String? {
        if let runner = listing.runner { return FlowError.running(listing.folder.id, runner).message }
        switch listing.journal {
        case .failure(let error): return error.description
        case .success(let journal):
            do { _ = try resumableSettings(of: journal, config: nil) } catch { return RecordedError(error).message }
            return nil
        }
    }

    /// The newest journal that is neither finished nor running; says which were left out.
    private static func newestUnfinished(in store: JournalStore) throws -> ReleaseID {
        let listings = try store.summaries()
        let unfinished = listings.compactMap { listing -> JournalSummary? in
            guard listing.runner == nil, case .success(let journal) = listing.summary,
                  !journal.isFinished, journal.kind != .rollback else { return nil }
            return journal
        }
        if let newest = unfinished.max(by: { $0.updatedAt < $1.updatedAt }) { return newest.id }
        var notes: [String] = []
        let running = listings.filter { $0.runner != nil }.map(\.folder.id.rawValue)
        if !running.isEmpty { notes.append("running: \(running.joined(separator: ", "))") }
        let corrupt = listings.compactMap { listing -> String? in
            if case .failure(let error) = listing.summary { return error.path }
            return nil
        }
        if !corrupt.isEmpty { notes.append("unreadable: \(corrupt.joined(separator: ", "))") }
        throw FlowError(.nothingToResume, "no unfinished release in \(store.state.root.path)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
    }

    private static func toolchain(_ settings: ReleaseSettings, config: ReleaseConfig, environment: FlowEnvironment) throws -> ReleaseToolchain {
        let client = try environment.client ?? RegistryClient(
            configuration: RegistryClientConfiguration(
                registries: config.registries, caBundle: environment.caBundle,
                maxConcurrentRequestsPerRegistry: RegistryClientConfiguration.releaseConcurrency),
            credentials: environment.credentials ?? .fromDockerConfig())
        return ReleaseToolchain(
            client: client, builder: settings.builder, publisher: settings.publisher, attestations: settings.attestations,
            docker: environment.docker, environment: environment.environment)
    }

    /// Stops the builds still running, waits for them, releases the lock and the client.
    private func close() async {
        if let runner {
            await runner.cancelAll()
            await runner.finish()
        }
        await forwarding?.value
        lock.release()
        if ownsClient { try? await toolchain.client.shutdown() }
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
        case .release, .build, .rollback: try await buildMissing()
        }
        if kind == .build { return await outcome(nil) }
        while true {
            if let refusal = await refusal(for: .publish) {
                let retryable = await recorder.journal.platforms.filter { $0.state == .failed || $0.state == .cancelled }.map(\.platform)
                guard stage == .built || stage == .cancelled else { return await outcome(refusal) }
                switch await interaction.cannotPublish(refusal, retryable: retryable) {
                case .stop: return await outcome(refusal)
                case .retry(let platforms): try await retry(platforms)
                case .publishWithout(let platforms): try await excuse(platforms)
                }
                continue
            }
            let pending = try await prepare()
            let requirement = requirement(for: pending)
            switch await interaction.confirm(ConfirmationRequest(pending: pending, requirement: requirement, version: version)) {
            case .confirmed(let confirmation):
                try await publish(confirmation)
                return await outcome(nil)
            case .declined:
                try await decline()
                return await outcome(nil)
            case .left:
                stage = .built
                return await outcome(nil)
            }
        }
    }

    /// Why `action` is not allowed now; nil when it is.
    public func refusal(for action: FlowAction) async -> FlowRefusal? {
        let journal = await recorder.journal
        switch action {
        case .cancel(let platform):
            guard let record = journal[platform: platform] else { return FlowRefusal(action, "\(platform) is not a platform of this release") }
            guard stage == .building, record.state == .building || record.state == .pending else {
                return FlowRefusal(action, "\(platform) is not building (\(record.state.rawValue))")
            }
            return nil
        case .retry(let platform):
            guard let record = journal[platform: platform] else { return FlowRefusal(action, "\(platform) is not a platform of this release") }
            guard record.state == .failed || record.state == .cancelled else {
                return FlowRefusal(action, "\(platform) is \(record.state.rawValue): only a failed or cancelled platform is built again")
            }
            switch stage {
            case .copying: return FlowRefusal(action, "the release is being copied: a promotion builds nothing")
            case .building: return FlowRefusal(action, "builds are still running: retry \(platform) once they are done")
            case .built, .cancelled, .awaitingConfirmation: return nil
            case .publishing, .verified, .failed: return FlowRefusal(action, "publishing has started: the platforms are fixed")
            case .declined: return FlowRefusal(action, "the release was declined: start a new one")
            }
        case .publish:
            return publishRefusal(journal)
        case .publishWithout(let platforms):
            guard stage == .built else { return FlowRefusal(action, "only once the builds are over, before publishing") }
            guard kind != .build else { return FlowRefusal(action, "a build is not published here: `gantry publish \(id)` publishes its digests") }
            let missing = journal.expectedPlatforms.filter { journal[platform: $0]?.state.hasDigest != true }
            if let built = platforms.first(where: { !missing.contains($0) }) {
                return FlowRefusal(action, "\(built) built: nothing to leave out")
            }
            if missing.count == journal.expectedPlatforms.count { return FlowRefusal(action, "no platform built: nothing to publish") }
            return platforms.isEmpty ? FlowRefusal(action, "no platform named") : nil
        }
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

    /// The one rule of whether publishing may go ahead, with its reason when not.
    private func publishRefusal(_ journal: ReleaseJournal) -> FlowRefusal? {
        let refuse = { FlowRefusal(.publish, $0) }
        if kind == .build { return refuse("a build is not published here: `gantry publish \(id)` publishes its digests") }
        switch stage {
        case .copying: return refuse("the release is being copied to the registries: publish once it is")
        case .building: return refuse("builds are still running: publish once they are done")
        case .publishing: return refuse("publishing is under way")
        case .verified: return refuse("\(id) is published and verified: nothing more to publish")
        case .failed: return refuse("publishing failed in some registry: `gantry resume \(id)` continues")
        case .declined: return refuse("declined: nothing was published")
        case .cancelled: return refuse("the builds were cancelled: nothing was published")
        case .built, .awaitingConfirmation: break
        }
        let missing = journal.expectedPlatforms.filter { journal[platform: $0]?.state.hasDigest != true }
        if missing.count == journal.expectedPlatforms.count { return refuse("no platform built: nothing to publish") }
        let unexcused = missing.filter { !excused.contains($0) }
        guard let first = unexcused.first else { return nil }
        let list = unexcused.map { platform in
            let cause = journal[platform: platform]?.error?.message.split(separator: "\n").first.map { ": \($0)" } ?? ""
            return "\(platform) (\(journal[platform: platform]?.state.rawValue ?? "missing")\(cause))"
        }
        return refuse("\(list.joined(separator: "; ")) did not build: retry it, or publish without it (--allow-partial \(first))")
    }

    /// Whether confirming `pending` needs the version typed: existing tags move.
    private func requirement(for pending: PendingTagSet) -> ConfirmationRequirement {
        guard !pending.moves.isEmpty else { return .yes }
        return .typedVersion(version?.description ?? id.rawValue)
    }

    /// Stops one platform's build.
    public func cancel(_ platform: Platform) async throws {
        if let refusal = await refusal(for: .cancel(platform)) { throw refusal }
        await runner?.cancel(platform)
    }

    /// Stops every build (quit or a signal); the release ends cancelled.
    public func cancelBuilds() async {
        cancelRequested = true
        await runner?.cancelAll()
    }

    // MARK: - Builds

    /// Builds every platform without a usable digest; a digest journaled earlier is reused
    /// when every registry holds it, or once it is copied into those that lack it.
    private func buildMissing() async throws {
        stage = .building
        let journal = await recorder.journal
        let placed = try await placeEverywhere(journal.platforms)
        var toBuild: [Platform] = []
        for record in journal.platforms {
            if let result = record.result, placed.contains(record.platform) {
                try await recorder.update("\(record.platform): reusing \(Digest.short(result.manifestDigest)), already in every registry") {
                    $0[platform: record.platform] = ReleaseJournal.PlatformRecord(platform: record.platform, state: .reused, result: result)
                }
                events(.build(BuildEvent(record.platform, .reused(result))))
                continue
            }
            toBuild.append(record.platform)
        }
        try await build(toBuild)
    }

    /// Builds `platforms` again after they failed or were cancelled.
    private func retry(_ platforms: [Platform]) async throws {
        for platform in platforms {
            if let refusal = await refusal(for: .retry(platform)) { throw refusal }
        }
        cancelRequested = false
        pending = nil
        try await build(platforms)
    }

    private func build(_ platforms: [Platform]) async throws {
        stage = .building
        try await recorder.update(platforms.isEmpty ? "nothing to build" : "building \(platforms.map(\.description).joined(separator: ", "))") {
            $0.phase = .building
            for p in platforms { $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .building) }
        }
        events(.phase(.building))
        if !platforms.isEmpty {
            let runner = try self.runner ?? startRunner()
            let target = Dictionary(uniqueKeysWithValues: platforms.map { ($0, journaledOutcomes[$0, default: 0] + 1) })
            _ = await withTaskCancellationHandler {
                await runner.run(only: platforms)
            } onCancel: {
                Task { await self.cancelBuilds() }
            }
            await waitUntilJournaled(target)
            if let journalFailure { throw journalFailure }
        }
        let cancelled = cancelRequested || Task.isCancelled
        let built = try await recorder.update {
            let done = $0.platforms.allSatisfy(\.state.hasDigest)
            $0.phase = done ? .built : (cancelled ? .cancelled : .failed)
        }
        stage = built.phase == .cancelled ? .cancelled : .built
        events(.phase(built.phase))
    }

    private func startRunner() throws -> BuildRunner {
        guard let version else { throw FlowError(.notResumable, "\(id) has no version to build") }
        let runner = BuildRunner(
            config: config, version: version, revision: settings.revision, folder: folder,
            driver: toolchain.driver(), failFast: settings.failFast)
        self.runner = runner
        forwarding = Task { await self.forward(runner.events) }
        return runner
    }

    /// Journals each platform's outcome, then reports it: a kill in between never loses a
    /// pushed platform that was already shown as finished.
    private func forward(_ stream: AsyncStream<BuildEvent>) async {
        for await event in stream {
            guard event.isTerminal else {
                events(.build(event))
                continue
            }
            do {
                try await journalOutcome(event)
                events(.build(event))
            } catch {
                journalFailure = journalFailure ?? error
                await runner?.cancelAll()
            }
            journaledOutcomes[event.platform, default: 0] += 1
            let ready = outcomeWaiters.filter { isReached($0.target) }
            outcomeWaiters.removeAll { isReached($0.target) }
            for waiter in ready { waiter.continuation.resume() }
        }
    }

    private func journalOutcome(_ event: BuildEvent) async throws {
        let p = event.platform
        switch event.kind {
        case .finished(let result):
            try await recorder.update("\(p) built: \(Digest.short(result.manifestDigest))") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .built, result: result)
            }
        case .failed(let failure):
            try await recorder.update("\(p) failed") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .failed, error: RecordedError(failure))
            }
        case .cancelled:
            try await recorder.update("\(p) cancelled") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .cancelled)
            }
        default: break
        }
    }

    private func isReached(_ target: [Platform: Int]) -> Bool {
        target.allSatisfy { journaledOutcomes[$0.key, default: 0] >= $0.value }
    }

    private func waitUntilJournaled(_ target: [Platform: Int]) async {
        guard !isReached(target) else { return }
        await withCheckedContinuation { outcomeWaiters.append((target, $0)) }
    }

    // MARK: - Copies

    /// Makes `result`'s digest exist in every registry of the release, copying it from one
    /// that holds it into those that lack it; false when no registry holds it.
    private func placeEverywhere(_ platform: Platform, _ result: BuildResult) async throws -> Bool {
        let journal = await recorder.journal
        let digest = result.pushedIndexDigest ?? result.manifestDigest
        let placement = DigestPlacement(client: toolchain.client)
        let (holding, lacking) = try await placement.presence(of: digest, in: journal.registries.map { $0.repository(for: journal.image) })
        guard let source = holding.first else { return false }
        let note = "\(platform): found in \(source.name), " + (kind == .publish ? "copied" : "copied instead of rebuilt")
        try await journalingFailure("copying \(platform)") {
            try await placement.copy(source.with(digest: digest), to: lacking) { target, report in
                try await self.journal(report, into: target, platforms: [platform], note: note)
            }
        }
        return true
    }

    /// Places every digest of `records` at once (see `placeEverywhere(_:_:)`); returns the
    /// platforms whose digest is now in every registry.
    private func placeEverywhere(_ records: [ReleaseJournal.PlatformRecord]) async throws -> Set<Platform> {
        try await withThrowingTaskGroup(of: Platform?.self) { group in
            for record in records {
                guard let result = record.result, record.state.hasDigest else { continue }
                group.addTask { try await self.placeEverywhere(record.platform, result) ? record.platform : nil }
            }
            var placed = Set<Platform>()
            for try await platform in group { if let platform { placed.insert(platform) } }
            return placed
        }
    }

    /// Prepares the pending tag set; for a publish whose preflight finds a digest missing in
    /// some registry, copies the digests into every registry from one that holds them and
    /// prepares again (the preflight then names any digest no registry holds). Asking only
    /// after the preflight found one missing costs the usual publish, every digest
    /// everywhere, no request more.
    private func prepareCopyingMissing(_ preparation: PublishPreparation) async throws -> PendingTagSet {
        do {
            return try await preparation.prepare(recorder)
        } catch let refused as PreflightError where kind == .publish && refused.digestsAbsent {
            _ = try await placeEverywhere(await recorder.journal.platforms)
            return try await preparation.prepare(recorder)
        }
    }

    /// Copies the promoted release, by digest, into every target registry (what one holds
    /// already is skipped, so a resume goes on where a copy stopped).
    private func copyPromotion() async throws {
        let journal = await recorder.journal
        guard let promotion = journal.promotion else {
            throw FlowError(.notResumable, "\(id) is a promotion that did not record what it promotes")
        }
        stage = .copying
        events(.phase(.copying))
        let source = promotion.from.repository(for: journal.image).with(digest: promotion.indexDigest)
        let platforms = journal.platforms.map(\.platform)
        try await journalingFailure("copying \(source)") {
            try await DigestPlacement(client: toolchain.client).copy(source, to: journal.registries.map { $0.repository(for: journal.image) }) { target, report in
                try await self.journal(report, into: target, platforms: platforms, note: "promoted")
            }
        }
        let built = try await recorder.update("the release is in every registry") { $0.phase = .built }
        stage = .built
        events(.phase(built.phase))
    }

    /// Journals one copy (the platforms' digests now in `target`), then reports it.
    private func journal(_ report: CopyReport, into target: ImageReference, platforms: [Platform], note: String) async throws {
        try await recorder.update("\(note): \(report.description)") { journal in
            for platform in platforms { journal[platform: platform]?.result?.presence[target.name] = true }
        }
        events(.copied(report))
    }

    /// Runs `body`; a failure is journaled before it is thrown.
    private func journalingFailure(_ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try await recorder.update("\(what) failed: \(RecordedError(error).message)") { _ in }
            throw error
        }
    }

    // MARK: - Publishing

    /// The pending tag set after preflight; journals every tag's current digest.
    private func prepare() async throws -> PendingTagSet {
        let preparation = PublishPreparation(toolchain: toolchain, allowPartial: excused, allowDowngrade: settings.allowDowngrade)
        let pending: PendingTagSet
        do {
            pending = try await prepareCopyingMissing(preparation)
        } catch {
            try await recorder.update("publishing refused: \(RecordedError(error).message)") { _ in }
            throw error
        }
        self.pending = pending
        stage = .awaitingConfirmation
        events(.pending(pending))
        return pending
    }

    private func publish(_ confirmation: Confirmation) async throws {
        guard stage == .awaitingConfirmation, let pending, confirmation.pendingTagSet == pending else {
            throw FlowRefusal(.publish, "the confirmation is not of the pending tag set shown: review it again")
        }
        if case .typedVersion(let version) = requirement(for: pending), !confirmation.assumed, confirmation.typedVersion != version {
            throw FlowRefusal(.publish, "existing tags move: type \(version) to confirm")
        }
        stage = .publishing
        let events = self.events
        let stop = StopRequest()
        let coordinator = PublishCoordinator(
            client: toolchain.client, publisher: toolchain.indexPublisher { events(.message($0)) },
            recorder: recorder, stop: stop, onEvent: events)
        // Cancelling (Ctrl-C) must not abort a registry write halfway: the publish runs on
        // its own, and the cancellation becomes a request to stop at the next write.
        let publishing = Task { try await coordinator.publish(confirmation) }
        let final = try await withTaskCancellationHandler { try await publishing.value } onCancel: { stop.request() }
        stage = final.phase == .verified ? .verified : .failed
    }

    private func decline() async throws {
        try await recorder.update("not confirmed; nothing published") { $0.phase = .cancelled }
        stage = .declined
        events(.phase(.cancelled))
    }

    private func outcome(_ refusal: FlowRefusal?) async -> FlowOutcome {
        FlowOutcome(journal: await recorder.journal, stage: stage, refusal: refusal)
    }
}
