import Foundation

/// Publishes the confirmed tag set to every registry in parallel, journaling each step:
/// the publish (which re-checks every tag right before its own write), the read-back
/// verification. A registry that fails leaves the others' results intact and the release
/// resumable. Each repository is locked in the state folder while it is written, so two
/// Gantry processes on one machine never publish the same repository at once. A requested
/// stop lets the writes in flight finish, journals, and ends the publish there.
public struct PublishCoordinator: Sendable {
    public let client: RegistryClient
    public let publisher: any IndexPublisher
    public let recorder: JournalRecorder
    public let stop: StopRequest
    public var onEvent: @Sendable (ReleaseEvent) -> Void
    /// Whether each repository is locked while it is written; false when the caller holds
    /// the locks already (a family locks its repositories once, for all its images).
    public let locksRepositories: Bool
    /// How each registry's release record is made; nil: no records (a test of the bare flow).
    public let records: RecordPolicy?

    public init(
        client: RegistryClient, publisher: any IndexPublisher, recorder: JournalRecorder, stop: StopRequest = StopRequest(),
        locksRepositories: Bool = true, records: RecordPolicy? = RecordPolicy(), onEvent: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }
    ) {
        self.locksRepositories = locksRepositories
        self.records = records
        self.client = client
        self.publisher = publisher
        self.recorder = recorder
        self.stop = stop
        self.onEvent = onEvent
    }

    /// Publishes `confirmation`'s set; returns the final journal (phase verified or failed).
    /// `index`, the index the set publishes when its bytes are known, is journaled with the
    /// confirmation: every later publication of the release pushes those bytes.
    public func publish(_ confirmation: Confirmation, index: JournaledIndex? = nil) async throws -> ReleaseJournal {
        let pending = confirmation.pendingTagSet
        try await recorder.update("confirmed \(pending.rows.count) tags" + (index.map { " of the index \(Digest.short($0.digest))" } ?? "")) {
            $0.confirmed = pending
            $0.index = $0.index ?? index
            $0.phase = .publishing
        }
        onEvent(.phase(.publishing))
        let journal = await recorder.journal
        let state = recorder.store.state
        let content = IndexComposer.contentRepository(of: journal.registries.map { $0.repository(for: journal.image) })
        // A resume leaves registries an earlier run verified alone; they are reported as they
        // stand, so a front end shows them verified rather than waiting.
        for publication in journal.publications where publication.state == .verified { onEvent(.registry(publication)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for target in pending.targets where journal[registry: target.registry]?.state != .verified {
                let repository = journal.repository(target.registry)
                let staged = journal[registry: target.registry]?.stagedIndex
                // A family staged the index and its record already.
                let record = staged == nil ? records.map { RecordDraft(journal, policy: $0) } : nil
                guard let plan = RegistryPublishPlan(
                    pending, registry: target.registry, repository: repository, content: content, index: journal.index, stagedIndex: staged, record: record)
                else { continue }
                group.addTask { try await publishOne(plan, lock: state.publishLock(for: repository)) }
            }
            try await group.waitForAll()
        }
        let allVerified = await recorder.journal.publications.allSatisfy { $0.state == .verified || $0.state == .skipped }
        let final = try await recorder.update(allVerified ? "every registry verified" : "some registries failed; `gantry resume` continues") {
            $0.phase = allVerified ? .verified : .failed
        }
        onEvent(.phase(final.phase))
        return final
    }

    /// Publishes one registry. Registry failures are journaled and end only this registry;
    /// a journal that cannot be written ends the whole publish (thrown).
    private func publishOne(_ plan: RegistryPublishPlan, lock url: URL) async throws {
        let registry = plan.target.registry
        var lock: FileLock?
        if locksRepositories {
            switch try FileLock.acquire(at: url, purpose: "publishing \(plan.repository.name) for \(await recorder.journal.id)") {
            case .acquired(let held): lock = held
            case .held(let holder):
                let busy = FlowError.repositoryBusy(plan.repository, holder)
                try await record(registry, "\(registry) busy") { $0.state = .failed; $0.error = RecordedError(busy) }
                return
            }
        }
        defer { lock?.release() }
        try await record(registry, "publishing to \(registry)") { $0.state = .publishing; $0.error = nil }
        let publication: IndexPublication
        do {
            publication = try await publisher.publish(plan, stop: stop)
        } catch {
            let recorded = RecordedError(error)
            try await record(registry, "\(registry) failed: \(recorded.message)") { $0.state = .failed; $0.error = recorded }
            return
        }
        let digest = publication.digest
        let recordNote = publication.record.map { $0.digest.map { ", its release record \(Digest.short($0))" } ?? "; \($0.warning ?? "no release record")" } ?? ""
        try await record(registry, "published \(Digest.short(digest)) to \(registry)\(recordNote)") {
            $0.state = .published
            $0.indexDigest = digest
            $0.record = publication.record ?? $0.record
        }
        let verification = await Verifier(client: client).verify(
            tags: plan.tags, repository: plan.repository, indexDigest: digest, platforms: plan.target.platforms,
            version: plan.rows.first?.new.version)
        let ok = verification.allSatisfy(\.ok)
        try await record(registry, ok ? "verified \(plan.tags.count) tags in \(registry)" : "verification failed in \(registry)") {
            $0.record(verification: verification)
        }
        if ok, await recorder.journal.index == nil {
            // imagetools wrote bytes of its own: journaled once verified, so that every later
            // publication pushes them. Unreadable now, the verified digest stands in for them.
            guard let written = try? await client.manifest(plan.repository.with(digest: digest)) else { return }
            try await recorder.update("journaled the index \(Digest.short(digest)) as written") {
                $0.index = $0.index ?? JournaledIndex(digest: written.digest, mediaType: written.mediaType, bytes: written.bytes)
            }
        }
    }

    private func record(_ registry: String, _ message: String, _ change: @Sendable (inout ReleaseJournal.RegistryPublication) -> Void) async throws {
        onEvent(.registry(try await recorder.updatePublication(registry, message, change)))
    }
}
