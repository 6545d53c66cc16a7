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

    public init(repository: ImageReference, target: IndexTarget, rows: [PendingTag]) {
        self.repository = repository
        self.target = target
        self.rows = rows
    }

    /// The plan of `registry` in a confirmed pending tag set.
    public init?(_ pending: PendingTagSet, registry: String, repository: ImageReference) {
        guard let target = pending.target(for: registry) else { return nil }
        self.init(repository: repository, target: target, rows: pending.rows(for: registry).filter { $0.change != .held })
    }

    public var tags: [String] { rows.map(\.tag) }
}
