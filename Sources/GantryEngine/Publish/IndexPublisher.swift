/// Puts one complete index in one registry and points the confirmed tags at it.
public protocol IndexPublisher: Sendable {
    /// Publishes `plan`; returns the index digest. A refusal or failure names the tags
    /// of the registry that had already moved (`PublishError.written`, `TagMovedError.written`).
    /// Before each write it checks `stop`: a requested stop ends it there (`PublishError.stopped`).
    func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> String
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

    public init(
        repository: ImageReference, target: IndexTarget, rows: [PendingTag], content: ImageReference? = nil, index: JournaledIndex? = nil,
        stagedIndex: String? = nil
    ) {
        self.stagedIndex = stagedIndex
        self.repository = repository
        self.target = target
        self.rows = rows
        self.content = content ?? repository
        self.index = index
    }

    /// The plan of `registry` in a confirmed pending tag set.
    public init?(
        _ pending: PendingTagSet, registry: String, repository: ImageReference, content: ImageReference? = nil, index: JournaledIndex? = nil,
        stagedIndex: String? = nil
    ) {
        guard let target = pending.target(for: registry) else { return nil }
        self.init(
            repository: repository, target: target, rows: pending.rows(for: registry).filter { $0.change != .held }, content: content, index: index,
            stagedIndex: stagedIndex)
    }

    public var tags: [String] { rows.map(\.tag) }
}
