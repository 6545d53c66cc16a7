import Foundation

/// Pushes every member's confirmed index by digest to every registry it goes to, all at
/// once, before any tag of the family moves: a by-digest push changes nothing anyone
/// pulls by tag, so a failure here leaves every visible tag as it was. Each index's release
/// record is pushed with it, so every record is in place before any tag moves too. Each push
/// is journaled in its member's journal (`stagedIndex`, `record`), and publishing does not
/// push either again.
///
/// The family holds the publish lock of each of its repositories from staging to the end of
/// the run (variants share a repository: their members do not lock it each).
actor FamilyIndexStaging {
    private let client: RegistryClient
    private let state: StateDirectory
    private let id: ReleaseID
    private var flows: [String: ReleaseFlow] = [:]
    private var locks: [ImageReference: FileLock] = [:]

    init(client: RegistryClient, state: StateDirectory, id: ReleaseID) {
        self.client = client
        self.state = state
        self.id = id
    }

    /// Releases the repositories' publish locks: the family's publishing is over.
    func releaseLocks() {
        for lock in locks.values { lock.release() }
        locks = [:]
    }

    private func lock(_ repository: ImageReference) throws {
        guard locks[repository] == nil else { return }
        switch try FileLock.acquire(at: state.publishLock(for: repository), purpose: "publishing \(repository.name) for \(id)") {
        case .acquired(let held): locks[repository] = held
        case .held(let holder): throw FlowError.repositoryBusy(repository, holder)
        }
    }

    func register(_ member: String, _ flow: ReleaseFlow) { flows[member] = flow }

    /// Stages each member's index and checks every tag of every member as confirmed (none
    /// moved since), all at once; throws the first failure once every request has ended.
    /// Nothing here moves a tag, so a failure leaves the family resumable as it was.
    func stage(_ requests: [(member: String, request: ConfirmationRequest)]) async throws {
        var pushes: [(flow: ReleaseFlow, repository: ImageReference, index: JournaledIndex, rows: [PendingTag], record: RecordDraft)] = []
        var checks: [(rows: [PendingTag], repository: ImageReference, registry: String)] = []
        for (member, request) in requests {
            guard let flow = flows[member] else { continue }
            let journal = await flow.journal
            for target in request.pending.targets where journal[registry: target.registry]?.state != .verified {
                let repository = journal.repository(target.registry)
                try lock(repository)
                let rows = request.pending.rows(for: target.registry).filter { $0.change != .held }
                checks.append((rows, repository, target.registry))
                guard let index = request.index, index.bytes != nil else { continue }
                pushes.append((flow, repository, index, rows, RecordDraft(journal, policy: flow.toolchain.records)))
            }
        }
        let client = self.client
        try await withThrowingTaskGroup(of: Void.self) { group in
            // A member's tags are checked again right before its own writes; checked here too,
            // a tag of one image moved by someone else stops the family before any tag moves.
            for check in checks {
                group.addTask { try await TagGuard(client: client).check(check.rows, in: check.repository, registry: check.registry) }
            }
            for push in pushes {
                group.addTask {
                    guard let bytes = push.index.bytes else { return }
                    // The record goes in beside its index: neither waits for the other's round trips.
                    let subject = Descriptor(mediaType: push.index.mediaType, digest: push.index.digest, size: Int64(bytes.count))
                    async let recorded = RecordWriter(client: client).push(push.record, subject: subject, bytes: bytes, rows: push.rows, in: push.repository)
                    let stored = try await client.putManifest(push.repository, reference: push.index.digest, mediaType: push.index.mediaType, bytes: bytes)
                    guard stored == push.index.digest else {
                        throw PublishError(.registryRewrote, "\(push.repository.name) stored the index as \(stored), expected \(push.index.digest)")
                    }
                    let receipt = try await recorded
                    _ = try await push.flow.recorder.updatePublication(
                        push.repository.registry, "staged the index \(Digest.short(stored)) and its release record in \(push.repository.registry) before any tag of the family moved"
                    ) {
                        $0.stagedIndex = stored
                        $0.record = receipt
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Adds `message` to the journals of `members`.
    func note(_ message: String, members: [String]) async {
        for member in members {
            // The journal write failing here is reported by the member's own next write.
            _ = try? await flows[member]?.recorder.update(message) { _ in }
        }
    }
}
