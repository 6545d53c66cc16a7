import Foundation

/// One release, from builds to verified tags, journaled at every state change:
/// `build` → `prepare` (the pending tag set) → the user confirms → `publish`.
/// A session can also pick up an interrupted release from its journal.
public struct ReleaseSession: Sendable {
    public let config: ReleaseConfig
    public let toolchain: ReleaseToolchain
    public let recorder: JournalRecorder
    public let folder: ReleaseFolder
    public var revision: String?

    /// Starts a new release of `version`: writes its journal.
    public static func start(
        config: ReleaseConfig, version: SemanticVersion, state: StateDirectory, toolchain: ReleaseToolchain,
        revision: String?, date: Date = Date()
    ) throws -> ReleaseSession {
        let id = ReleaseID.make(image: config.image, version: version, date: date)
        let journal = ReleaseJournal(
            id: id, kind: .release, image: config.image, version: version, registries: config.registries,
            tags: TagSet(rules: config.tags, flavor: config.flavor, version: version).tags,
            expectedPlatforms: config.platforms.map(\.platform), configPath: config.source, now: date)
        let recorder = try JournalRecorder(creating: journal, store: JournalStore(state: state))
        return ReleaseSession(config: config, toolchain: toolchain, recorder: recorder, folder: state.release(id), revision: revision)
    }

    /// Continues the release journaled in `journal`.
    public static func resume(
        _ journal: ReleaseJournal, config: ReleaseConfig, state: StateDirectory, toolchain: ReleaseToolchain, revision: String?
    ) -> ReleaseSession {
        ReleaseSession(
            config: config, toolchain: toolchain, recorder: JournalRecorder(resuming: journal, store: JournalStore(state: state)),
            folder: state.release(journal.id), revision: revision)
    }

    public init(config: ReleaseConfig, toolchain: ReleaseToolchain, recorder: JournalRecorder, folder: ReleaseFolder, revision: String?) {
        self.config = config
        self.toolchain = toolchain
        self.recorder = recorder
        self.folder = folder
        self.revision = revision
    }

    /// Builds every platform that has no usable digest yet (a digest journaled
    /// earlier is reused when every registry still holds it). Returns the journal.
    @discardableResult
    public func build(failFast: Bool = false, onEvent: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }) async throws -> ReleaseJournal {
        let journal = await recorder.journal
        guard let version = journal.version else { throw PublishError("journal \(journal.id) has no version to build") }
        var toBuild: [Platform] = []
        for record in journal.platforms {
            if let result = record.result, try await isPushedEverywhere(result, journal) {
                onEvent(.message("\(record.platform): reusing \(Digest.short(result.manifestDigest)), already in every registry"))
                // Views track platforms by their events: a reused platform is finished.
                onEvent(.build(BuildEvent(record.platform, .finished(result))))
                continue
            }
            toBuild.append(record.platform)
        }
        try await recorder.update(toBuild.isEmpty ? "nothing to build" : "building \(toBuild.map(\.description).joined(separator: ", "))") {
            $0.phase = .building
            for p in toBuild { $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .building) }
        }
        onEvent(.phase(.building))
        if !toBuild.isEmpty {
            let runner = BuildRunner(
                config: config, version: version, revision: revision, folder: folder, driver: toolchain.driver(),
                only: toBuild, failFast: failFast)
            let recorder = self.recorder
            let forwarding = Task {
                for await event in runner.events {
                    onEvent(.build(event))
                    switch event.kind {
                    case .finished(let result):
                        _ = try? await recorder.update("\(event.platform) built: \(Digest.short(result.manifestDigest))") {
                            $0[platform: event.platform] = ReleaseJournal.PlatformRecord(platform: event.platform, state: .built, result: result)
                        }
                    case .failed(let failure):
                        _ = try? await recorder.update("\(event.platform) failed") {
                            $0[platform: event.platform] = ReleaseJournal.PlatformRecord(platform: event.platform, state: .failed, error: failure.description)
                        }
                    case .cancelled:
                        _ = try? await recorder.update("\(event.platform) cancelled") {
                            $0[platform: event.platform] = ReleaseJournal.PlatformRecord(platform: event.platform, state: .cancelled)
                        }
                    default: break
                    }
                }
            }
            _ = await withTaskCancellationHandler {
                await runner.run()
            } onCancel: {
                Task { await runner.cancelAll() }
            }
            await runner.finish()
            await forwarding.value
        }
        let built = try await recorder.update() {
            let done = $0.platforms.allSatisfy { $0.state == .built }
            $0.phase = done ? .built : (Task.isCancelled ? .cancelled : .failed)
        }
        onEvent(.phase(built.phase))
        return built
    }

    /// The pending tag set after preflight; journals every tag's current digest.
    public func prepare(allowPartial: Set<Platform> = [], allowDowngrade: Bool = false) async throws -> PendingTagSet {
        try await PublishPreparation(toolchain: toolchain, allowPartial: allowPartial, allowDowngrade: allowDowngrade).prepare(recorder)
    }

    /// Publishes what the user confirmed and verifies it.
    public func publish(_ confirmation: Confirmation, onEvent: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }) async throws -> ReleaseJournal {
        try await PublishCoordinator(
            client: toolchain.client, publisher: toolchain.indexPublisher { onEvent(.message($0)) },
            recorder: recorder, onEvent: onEvent
        ).publish(confirmation)
    }

    /// Records that the user declined: nothing was published.
    public func decline() async throws {
        try await recorder.update("not confirmed; nothing published") { $0.phase = .cancelled }
    }

    private func isPushedEverywhere(_ result: BuildResult, _ journal: ReleaseJournal) async throws -> Bool {
        let digest = result.pushedIndexDigest ?? result.manifestDigest
        for registry in journal.registries {
            let repository = registry.repository(for: journal.image)
            if try await toolchain.client.resolve(repository.with(digest: digest)) == nil { return false }
        }
        return true
    }
}
