/// Puts one complete index in one registry and points the confirmed tags at it.
public protocol IndexPublisher: Sendable {
    /// Publishes `plan`; returns the index digest and its release record. A refusal or
    /// failure names the tags of the registry that had already moved (`PublishError.written`,
    /// `TagMovedError.written`). Before each write it checks `stop`: a requested stop ends it
    /// there (`PublishError.stopped`).
    func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> IndexPublication
}

/// What one registry's publication left: the index its tags point to, and its record.
public struct IndexPublication: Sendable, Equatable {
    public var digest: String
    /// Nil when the plan asked for no record.
    public var record: RecordReceipt?

    public init(digest: String, record: RecordReceipt?) {
        self.digest = digest
        self.record = record
    }
}

/// What one registry receives, as the user confirmed it.
public struct RegistryPublishPlan: Sendable, Equatable {
    public var repository: ImageReference
    /// The index: its sources, platforms and (when known in advance) confirmed digest.
    public var target: IndexTarget
    /// The confirmed rows to publish (held tags left out), each with what it pointed to then.
    public var rows: [PendingTag]
    /// Where the platforms' manifests and configs are read to compose the index
    /// (`IndexComposer.contentRepository`); `repository` when not given.
    public var content: ImageReference
    /// The journaled index of an `existing` target, with its bytes when they are known.
    public var index: JournaledIndex?
    /// The index already pushed by digest to this registry (a family stages every index
    /// before any tag moves): not pushed again.
    public var stagedIndex: String?
    /// The release record pushed before the tags move; nil: none.
    public var record: RecordDraft?

    public init(
        repository: ImageReference, target: IndexTarget, rows: [PendingTag], content: ImageReference? = nil, index: JournaledIndex? = nil,
        stagedIndex: String? = nil, record: RecordDraft? = nil
    ) {
        self.stagedIndex = stagedIndex
        self.record = record
        self.repository = repository
        self.target = target
        self.rows = rows
        self.content = content ?? repository
        self.index = index
    }

    /// The plan of `registry` in a confirmed pending tag set.
    public init?(
        _ pending: PendingTagSet, registry: String, repository: ImageReference, content: ImageReference? = nil, index: JournaledIndex? = nil,
        stagedIndex: String? = nil, record: RecordDraft? = nil
    ) {
        guard let target = pending.target(for: registry) else { return nil }
        self.init(
            repository: repository, target: target, rows: pending.rows(for: registry).filter { $0.change != .held }, content: content, index: index,
            stagedIndex: stagedIndex, record: record)
    }

    public var tags: [String] { rows.map(\.tag) }
}
