/// Turns built digests into what publishing needs: the preflight checks, each
/// registry's index target (composed, so every platform is checked against its image
/// config whichever publisher writes it) and the pending tag set; records the tags'
/// previous digests in the journal. Reads that do not depend on each other go out
/// together, so preparing costs the round trips of its longest chain of reads.
public struct PublishPreparation: Sendable {
    public let toolchain: ReleaseToolchain
    public var allowPartial: Set<Platform>
    public var allowDowngrade: Bool

    public init(toolchain: ReleaseToolchain, allowPartial: Set<Platform> = [], allowDowngrade: Bool = false) {
        self.toolchain = toolchain
        self.allowPartial = allowPartial
        self.allowDowngrade = allowDowngrade
    }

    /// Prepares the pending tag set of the journal's release and journals the "before" state.
    public func prepare(_ recorder: JournalRecorder) async throws -> PendingTagSet {
        try await preparePublication(recorder).pending
    }

    /// The pending tag set and the index it publishes (nil while imagetools has not written
    /// it); journals the "before" state.
    public func preparePublication(_ recorder: JournalRecorder) async throws -> PreparedPublication {
        let journal = await recorder.journal
        let client = toolchain.client
        let sources = journal.publishingSources
        let repositories = journal.registries.map { $0.repository(for: journal.image) }
        guard let content = IndexComposer.contentRepository(of: repositories) else {
            throw PreflightError(problems: ["no registry to publish to"])
        }
        // What the tags point to now is all the pending set needs: signatures and referrers
        // would add requests to every publish (the round-trip budget) and show nowhere.
        let planner = PendingTagPlanner(auditor: Auditor(client: client, inspectsSupplyChain: false, checksPlatforms: false))
        // The current tags are read while the platforms are checked and the index composed:
        // neither waits for the other's round trips.
        async let current = planner.current(repositories: repositories, tags: journal.tags)
        let platforms = try await Preflight(client: client).check(
            sources: sources, expected: journal.expectedPlatforms, allowPartial: allowPartial, repositories: repositories, content: content)
        let annotations = journal.settings?.annotations ?? [:]
        // One composition serves every registry: the same digests, so the same index. An
        // index fixed already (confirmed before, or promoted) is published as it is, but is
        // composed too: composing checks every platform against its image config.
        let composed = try await IndexComposer(client: client, attestations: toolchain.attestations)
            .compose(sources, in: content, annotations: annotations)
        let fixed = journal.indexToPublish
        let targets = repositories.map { repository in
            if let fixed {
                return IndexTarget(registry: repository.registry, digest: fixed.digest, platforms: platforms, sources: sources, existing: true)
            }
            // imagetools writes its own bytes: its digest is known only after publishing.
            let digest = toolchain.publisher == .native ? composed.digest : nil
            return IndexTarget(registry: repository.registry, digest: digest, platforms: platforms, sources: sources, annotations: annotations)
        }
        var pending = try await planner.plan(current: await current, version: journal.version, targets: targets, allowDowngrade: allowDowngrade)
        if journal.settings?.workTreeDirty == true {
            let revision = journal.settings?.revision.map { " \($0.prefix(12))" } ?? ""
            pending.warnings = [PendingWarning(.dirtyWorkTree, "built from a work tree with uncommitted changes: revision\(revision) does not hold everything the images were built from")]
        }
        try await recorder.update("pending tag set: \(pending.rows.count) tags, \(pending.held.count) held") { journal in
            // The first recorded "before" wins: a resumed release must roll back to the state before it began.
            let known = Set(journal.before.map { "\($0.registry)/\($0.tag)" })
            for row in pending.rows where !known.contains("\(row.registry)/\(row.tag)") {
                journal.before.append(ReleaseJournal.TagSnapshot(registry: row.registry, tag: row.tag, digest: row.current?.digest))
            }
        }
        return PreparedPublication(pending: pending, index: fixed ?? (toolchain.publisher == .native ? JournaledIndex(composed) : nil))
    }
}

/// What publishing needs once prepared: the pending tag set to confirm, and the index whose
/// bytes the confirmation fixes (nil while imagetools has not written it).
public struct PreparedPublication: Sendable, Equatable {
    public var pending: PendingTagSet
    public var index: JournaledIndex?

    /// The same, its pending set saying that `key` signs what it publishes.
    func signed(by key: SigningKey?) -> PreparedPublication {
        guard let key else { return self }
        var signed = self
        signed.pending.warnings = (pending.warnings ?? []) + [PendingWarning(.signing, "signs every index and its release record with \(key.source)")]
        return signed
    }
}
