import Foundation

/// Rolls a release back as confirmed: per registry, re-checks the tags (`TagGuard`),
/// PUTs each tag's previous manifest bytes under it, and reads every tag back. All
/// of it is journaled in a new journal of kind `rollback` (`RollbackFlow` holds the lock of
/// the release rolled back meanwhile). Each digest the tags go back to gets a release record
/// of kind `rollback` before they move, so a tag's history shows the rollback.
public struct Rollback: Sendable {
    public let client: RegistryClient
    public let store: JournalStore
    public let records: RecordPolicy
    public var onEvent: @Sendable (ReleaseEvent) -> Void

    public init(client: RegistryClient, store: JournalStore, records: RecordPolicy = RecordPolicy(), onEvent: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }) {
        self.client = client
        self.store = store
        self.records = records
        self.onEvent = onEvent
    }

    /// Runs the confirmed rollback of `release`; returns the rollback's journal (phase verified
    /// or failed). `family` links it to the rollback of a whole family.
    public func run(_ confirmation: Confirmation, of release: ReleaseJournal, family: FamilyLink? = nil, date: Date = Date()) async throws -> ReleaseJournal {
        let pending = confirmation.pendingTagSet
        var journal = ReleaseJournal(
            id: Self.id(of: release.id, date: date), kind: .rollback, image: release.image, version: release.version,
            registries: release.registries, tags: release.tags, expectedPlatforms: release.expectedPlatforms,
            configPath: release.configPath, now: date)
        journal.rollbackOf = release.id
        journal.family = family
        journal.platforms = []
        journal.before = pending.rows.map { ReleaseJournal.TagSnapshot(registry: $0.registry, tag: $0.tag, digest: $0.current?.digest) }
        journal.confirmed = pending
        journal.phase = .publishing
        journal.note("rolling back \(release.id)")
        let recorder = try JournalRecorder(creating: journal, store: store)
        let ownLock = try Self.lock(await recorder.journal.id, in: store.state)
        defer { ownLock.release() }
        onEvent(.phase(.publishing))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for registry in release.registries.map(\.host) {
                group.addTask { try await restore(registry, pending: pending, repository: release.repository(registry), recorder: recorder) }
            }
            try await group.waitForAll()
        }
        let allVerified = await recorder.journal.publications.allSatisfy { $0.state == .verified || $0.state == .skipped }
        let final = try await recorder.update(allVerified ? "every tag is back at its previous digest" : "some registries failed") {
            $0.phase = allVerified ? .verified : .failed
        }
        onEvent(.phase(final.phase))
        return final
    }

    /// One record per digest the rows go back to, each naming the tags that go back there.
    private func pushRecords(_ rows: [PendingTag], manifests: [String: FetchedManifest], journal: ReleaseJournal, in repository: ImageReference) async throws -> [RecordReceipt] {
        let draft = RecordDraft(journal, policy: records, kind: .rollback)
        var receipts: [RecordReceipt] = []
        for (digest, manifest) in manifests.sorted(by: { $0.key < $1.key }) {
            let going = rows.filter { $0.new.digest == digest }
            receipts.append(try await RecordWriter(client: client).push(draft, subject: manifest.descriptor, bytes: manifest.bytes, rows: going, in: repository))
        }
        return receipts
    }

    /// Takes the lock of release `id`; refuses while another process runs it.
    public static func lock(_ id: ReleaseID, in state: StateDirectory) throws -> FileLock {
        switch try FileLock.acquire(at: state.release(id).lock, purpose: "rollback of \(id)") {
        case .acquired(let lock): return lock
        case .held(let holder): throw FlowError.running(id, holder)
        }
    }

    /// `<release id>-rollback-<UTC time>`.
    static func id(of release: ReleaseID, date: Date) -> ReleaseID {
        ReleaseID(unchecked: "\(release.rawValue)-rollback-\(ReleaseID.timestamp(date))")
    }

    /// Restores one registry; registry failures are journaled, a journal write failure is thrown.
    private func restore(_ registry: String, pending: PendingTagSet, repository: ImageReference, recorder: JournalRecorder) async throws {
        let rows = pending.rows(for: registry).filter { $0.change == .move }
        let record = { @Sendable (message: String, change: @Sendable (inout ReleaseJournal.RegistryPublication) -> Void) async throws in
            onEvent(.registry(try await recorder.updatePublication(registry, message, change)))
        }
        guard !rows.isEmpty else {
            try await record("nothing to roll back in \(registry)") { $0.state = .skipped }
            return
        }
        do {
            let guard_ = TagGuard(client: client)
            try await guard_.check(pending, registry: registry, repository: repository)
            try await record("restoring \(rows.count) tags in \(registry)") { $0.state = .publishing; $0.error = nil }
            var platforms: [String: [Platform]] = [:]
            var written: [String] = []
            var manifests: [String: FetchedManifest] = [:]
            for previous in Set(rows.compactMap(\.new.digest)) {
                manifests[previous] = try await client.manifest(repository.with(digest: previous))
            }
            let receipts = try await pushRecords(rows, manifests: manifests, journal: await recorder.journal, in: repository)
            try await record("release records of the rollback in \(registry): \(receipts.map { $0.digest.map(Digest.short) ?? $0.warning ?? "-" }.joined(separator: ", "))") {
                $0.record = receipts.first { $0.digest == nil } ?? receipts.first
            }
            for row in rows {
                guard let previous = row.new.digest, let manifest = manifests[previous] else { continue }
                try await guard_.check(row, in: repository, written: written)
                _ = try await client.putManifest(repository, reference: row.tag, mediaType: manifest.mediaType, bytes: manifest.bytes)
                written.append(row.tag)
                platforms[row.tag] = manifest.index?.manifests.filter { !$0.isAttestation }.compactMap { $0.platform?.platform } ?? []
            }
            var readBack: [TagVerification] = []
            for row in rows {
                let now = try await client.resolve(repository.with(tag: row.tag))?.digest
                let expected = row.new.digest
                let problems = now == expected ? [] : ["points to \(now.map(Digest.short) ?? "nothing"), not the previous \(expected.map(Digest.short) ?? "?")"]
                readBack.append(TagVerification(registry: registry, tag: row.tag, digest: now, platforms: platforms[row.tag] ?? [], problems: problems))
            }
            let verification = readBack
            let ok = verification.allSatisfy(\.ok)
            try await record(ok ? "restored \(rows.count) tags in \(registry)" : "restoring failed in \(registry)") {
                $0.record(verification: verification)
            }
        } catch {
            let recorded = RecordedError(error)
            try await record("\(registry) failed: \(recorded.message)") { $0.state = .failed; $0.error = recorded }
        }
    }
}
