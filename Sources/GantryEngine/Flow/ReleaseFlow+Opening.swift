import Foundation

/// Opening a flow (a new journal, or a journaled release resumed under its lock) and closing it.
extension ReleaseFlow {
    /// Opens the flow `request` asks for, runs `body` with it, and closes it (builds
    /// stopped, lock released, the registry client shut down) however `body` ends.
    public static func with<T: Sendable>(
        _ request: FlowRequest, in environment: FlowEnvironment,
        events: @escaping @Sendable (ReleaseEvent) -> Void = { _ in },
        _ body: (ReleaseFlow) async throws -> T
    ) async throws -> T {
        let flow = try await open(request, in: environment, events: events)
        do {
            // The command log starts with the flow (opening only reads), so front ends announce the flow first.
            let value = try await ActivityLog.recording(to: { events(.activity($0)) }) { try await body(flow) }
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
            warnOfHalfPublished(config.image, releasing: version, state: environment.state, events: events)
            return try await start(.release, config: config, version: version, options: options, environment: environment, events: events)
        case .build(let config, let version, let options, let platforms):
            return try await start(.build, config: config, version: version, options: options, environment: environment, events: events) { journal, _ in
                if let platforms { journal.platforms = journal.platforms.filter { platforms.contains($0.platform) } }
            }
        case .publish(let config, let version, let sources, let options):
            return try await start(.publish, config: config, version: version, options: options, environment: environment, events: events) { journal, _ in
                journal.platforms = built(sources)
                journal.phase = .built
                journal.note("publishing \(sources.count) existing digests")
            }
        case .republish(let config, let version, let journaled, var options):
            // The index it confirmed is published as it is: only the native publisher writes given bytes.
            if journaled.index != nil { options.publisher = .native }
            let provenance = Provenance(
                revision: journaled.settings?.revision, annotations: journaled.settings?.annotations ?? [:],
                workTreeDirty: journaled.settings?.workTreeDirty)
            return try await start(.publish, config: config, version: version, options: options, provenance: provenance, environment: environment, events: events) { journal, _ in
                journal.platforms = built(journaled.sources)
                journal.index = journaled.index
                journal.phase = .built
                journal.note("publishing what \(journaled.id) built" + (journaled.index.map { ": the index \(Digest.short($0.digest)) it confirmed" } ?? ", with its annotations"))
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

    /// A new release of an image that has a half-published one says so first, as Home does:
    /// the image's tags disagree between registries until that one is finished.
    private static func warnOfHalfPublished(
        _ image: String, releasing version: SemanticVersion, state: StateDirectory, events: @Sendable (ReleaseEvent) -> Void
    ) {
        // Advisory only: an unreadable state folder fails the release itself, with its own error.
        guard let listings = try? JournalStore(state: state).list(),
              let half = HalfPublishedRelease.newest(of: image, in: listings), half.version != version else { return }
        events(.message("warning: \(half.description): `gantry resume \(half.id)` finishes it"))
    }

    /// Existing digests as the platform records of a publication.
    private static func built(_ sources: [PlatformSource]) -> [ReleaseJournal.PlatformRecord] {
        sources.map { ReleaseJournal.PlatformRecord(platform: $0.platform, state: .built, result: BuildResult(platform: $0.platform, manifestDigest: $0.digest)) }
    }

    /// What a new flow's index says of its source: the revision, the annotations, whether
    /// the work tree had changes. A new release reads them from here and now; a publication
    /// of a journaled release takes that release's.
    private struct Provenance {
        var revision: String?
        var annotations: [String: String]
        var workTreeDirty: Bool?

        static func now(_ kind: FlowKind, config: ReleaseConfig, version: SemanticVersion, options: FlowOptions, at date: Date) async -> Provenance {
            let revision = SourceRevision.resolve(options.revision, for: config)
            return Provenance(
                revision: revision, annotations: IndexAnnotations.release(config: config, version: version, revision: revision, at: date),
                workTreeDirty: kind.builds ? await SourceRevision.workTreeDirty(for: config) : nil)
        }
    }

    /// Starts a new flow; `shape` fills in the new journal (reading registries with the
    /// flow's client) before anything is written.
    private static func start(
        _ kind: FlowKind, config: ReleaseConfig, version: SemanticVersion, options: FlowOptions, provenance given: Provenance? = nil,
        environment: FlowEnvironment, events: @escaping @Sendable (ReleaseEvent) -> Void,
        shape: (inout ReleaseJournal, RegistryClient) async throws -> Void = { _, _ in }
    ) async throws -> ReleaseFlow {
        let fingerprint = try ReleaseSettings.fingerprint(ofConfigAt: config.source)
        // A required record must be in place before the tags move, which imagetools cannot do:
        // `auto` then publishes natively, and imagetools asked for is refused.
        if config.requirements.record, options.publisher == .imagetools {
            throw FlowError(.publisherRefused, "--publisher imagetools cannot be used with require: {record: true}: imagetools writes the tags itself, so no release record could be in place before they move")
        }
        let asked = options.publisher ?? config.publisher
        let chosen = await ReleaseToolchain.resolve(
            builder: options.builder ?? config.builder, publisher: config.requirements.record && asked == .auto ? .native : asked,
            docker: environment.docker, environment: environment.environment)
        let now = environment.now()
        let provenance = if let given { given } else { await Provenance.now(kind, config: config, version: version, options: options, at: now) }
        let settings = ReleaseSettings(
            configPath: fingerprint.path, configDigest: fingerprint.digest, builder: chosen.builder, publisher: chosen.publisher,
            revision: provenance.revision, allowPartial: options.allowPartial.sorted(), allowDowngrade: options.allowDowngrade,
            attestations: config.attestations, failFast: options.failFast,
            annotations: provenance.annotations, workTreeDirty: provenance.workTreeDirty, allowVersionRewrite: options.allowVersionRewrite)
        var journal = ReleaseJournal(
            id: ReleaseID.make(image: options.family?.releaseName ?? config.image, version: version, date: now), kind: kind.journalKind, image: config.image, version: version,
            registries: config.registries, tags: try TagSet.checked(config, version: version).tags,
            expectedPlatforms: config.platforms.map(\.platform), configPath: fingerprint.path, settings: settings, now: now)
        journal.family = options.family
        if provenance.workTreeDirty == true { journal.note("the work tree has uncommitted changes: revision \(provenance.revision ?? "unknown") does not hold all of it") }
        let toolchain = try await toolchain(settings, config: config, environment: environment)
        let ownsClient = environment.client == nil
        return try await opening(toolchain, ownsClient: ownsClient) {
            // Before anything is journaled: a release that cannot start leaves nothing to resume.
            let again = kind.builds ? "`gantry \(kind.rawValue) \(version)`" : "the same `gantry \(kind.rawValue)` command"
            try await ToolchainPreflight(toolchain: toolchain, registries: config.registries).check(
                builds: kind.builds, publishes: kind != .build, configPath: fingerprint.path, next: again)
            try await shape(&journal, toolchain.client)
            let recorder = try JournalRecorder(creating: journal, store: JournalStore(state: environment.state))
            let created = await recorder.journal
            // The id is new and unique: nobody else can hold its lock yet.
            guard case .acquired(let lock) = try FileLock.acquire(at: environment.state.release(created.id).lock, purpose: "\(kind.rawValue) \(created.id)") else {
                throw FlowError.running(created.id, nil)
            }
            return ReleaseFlow(
                recorder: recorder, journal: created, kind: kind, lock: lock, config: config, settings: settings,
                toolchain: toolchain, ownsClient: ownsClient, state: environment.state, family: environment.family, events: events)
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
            // A member publishing alone would break the family's all-or-nothing.
            if let link = journal.family, link.id != environment.family {
                throw FlowError(.notResumable, "\(chosen) is \(link.member) of the family release \(link.id): `gantry resume \(link.id)` continues every image together")
            }
            let (settings, kind) = try resumable(journal, config: given)
            var config = try await memberConfig(ReleaseConfigLoader.load(path: settings.configPath), of: journal, environment: environment)
            // Platforms a Bake target gave are the journaled ones: the Bake file may have changed since.
            if config.takesPlatformsFromBake { config.platforms = journal.expectedPlatforms.map { PlatformTarget(platform: $0) } }
            let toolchain = try await toolchain(settings, config: config, environment: environment)
            let ownsClient = environment.client == nil
            return try await opening(toolchain, ownsClient: ownsClient) {
                // Before the journal says resumed: a resume that cannot start leaves it as it was.
                let builds = kind.builds && journal.platforms.contains { !$0.state.hasDigest }
                try await ToolchainPreflight(toolchain: toolchain, registries: journal.registries).check(
                    builds: builds, publishes: journal.kind != .build, configPath: settings.configPath, next: "`gantry resume \(chosen)`")
                folder.removeStaleTemporaryFiles()
                let recorder = JournalRecorder(resuming: journal, store: store)
                try await recorder.update("resumed by pid \(getpid()) (\(journal.phase.rawValue))") { _ in }
                return ReleaseFlow(
                    recorder: recorder, journal: journal, kind: kind, lock: lock, config: config, settings: settings,
                    toolchain: toolchain, ownsClient: ownsClient, state: environment.state, family: environment.family, events: events)
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// The settings and kind a resume of `journal` runs with; throws why it cannot be
    /// resumed, by the one rule (`Resumability`) Recover and the advisor ask too.
    private static func resumable(_ journal: ReleaseJournal, config given: String?) throws -> (ReleaseSettings, FlowKind) {
        let settings = try Resumability.settings(of: journal, config: given)
        guard let kind = FlowKind(journal.kind) else {
            throw FlowError(.notResumable, "\(journal.id) is a \(journal.kind.rawValue) journal: `gantry resume \(journal.id)` continues it")
        }
        return (settings, kind)
    }

    /// The newest journal offered for resume (see `JournalStanding`) that no process runs;
    /// says which were left out.
    private static func newestUnfinished(in store: JournalStore) throws -> ReleaseID {
        let listings = try store.summaries()
        let standings = JournalStanding.of(listings)
        let unfinished = listings.compactMap { listing -> JournalSummary? in
            guard case .success(let journal) = listing.summary,
                  JournalStanding.resumesWithoutID(standings[journal.id], runner: listing.runner) else { return nil }
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
        // Resumable by id, but not offered: said, so the user can still choose one.
        let skipped = standings.compactMap { id, standing -> String? in
            switch standing {
            case .quitBeforeConfirming, .superseded: return "\(id) (\(standing.note))"
            default: return nil
            }
        }.sorted()
        if !skipped.isEmpty { notes.append("not offered, resume by id: \(skipped.joined(separator: ", "))") }
        throw FlowError(.nothingToResume, "no unfinished release in \(store.state.root.path)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
    }

    /// The config a journal was released from: a family member's own, read from the family's config.
    private static func memberConfig(_ config: ReleaseConfig, of journal: ReleaseJournal, environment: FlowEnvironment) async throws -> ReleaseConfig {
        guard let link = journal.family else { return config }
        let family = ImageFamily(try await ImageFamily.resolvingBakeGroup(config, docker: environment.docker, environment: environment.environment))
        guard var member = family.member(link.member)?.config else {
            throw FlowError(.notResumable, "\(config.source) has no image \(link.member) any more; \(journal.id) is a member of \(link.id)")
        }
        // A Bake group gave the platforms: the journaled ones stand, as for one Bake target.
        if config.bakeGroup != nil { member.platforms = journal.expectedPlatforms.map { PlatformTarget(platform: $0) } }
        return member
    }

    private static func toolchain(_ settings: ReleaseSettings, config: ReleaseConfig, environment: FlowEnvironment) async throws -> ReleaseToolchain {
        // The signing key is loaded before anything is built: a key that cannot be used stops the release here.
        let records = try await RecordPolicy.of(config, environment: ProcessInfo.processInfo.environment.merging(environment.environment) { $1 })
        let client = try environment.client ?? RegistryClient.forFlow(registries: config.registries, environment: environment)
        return ReleaseToolchain(
            client: client, builder: settings.builder, publisher: settings.publisher, attestations: settings.attestations,
            docker: environment.docker, environment: environment.environment, buildSlots: environment.buildSlots, records: records)
    }

    /// Stops the builds still running, waits for them, releases the lock and the client.
    func close() async {
        await stopBuilds()
        lock.release()
        if ownsClient { try? await toolchain.client.shutdown() }
    }
}
