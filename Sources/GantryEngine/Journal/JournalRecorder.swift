import Foundation

/// Serialises changes to one release journal: every change is applied to the
/// in-memory copy and written atomically before the call returns.
public actor JournalRecorder {
    public let store: JournalStore
    public private(set) var journal: ReleaseJournal

    /// Starts recording a new journal (written at once, under an id of its own: see `JournalStore.create`).
    public init(creating journal: ReleaseJournal, store: JournalStore) throws {
        self.journal = try store.create(journal)
        self.store = store
    }

    /// Continues recording an existing journal.
    public init(resuming journal: ReleaseJournal, store: JournalStore) {
        self.store = store
        self.journal = journal
    }

    /// Applies `change`, stamps the time, notes `message` when given, and writes.
    @discardableResult
    public func update(_ message: String? = nil, _ change: (inout ReleaseJournal) -> Void) throws -> ReleaseJournal {
        var next = journal
        change(&next)
        next.updatedAt = .now
        if let message { next.note(message) }
        try store.write(next)
        journal = next
        return next
    }

    /// A run asks its confirmation again: an earlier run's unanswered one no longer stands
    /// (see `JournalStanding`).
    public func goingOnToConfirm() throws {
        guard journal.unconfirmed != nil else { return }
        try update("the confirmation asked again") { $0.unconfirmed = nil }
    }

    /// Applies `change` to the publication record of `registry`, writes, and returns the record.
    @discardableResult
    public func updatePublication(
        _ registry: String, _ message: String, _ change: (inout ReleaseJournal.RegistryPublication) -> Void
    ) throws -> ReleaseJournal.RegistryPublication {
        var publication = journal[registry: registry] ?? ReleaseJournal.RegistryPublication(registry: registry)
        change(&publication)
        try update(message) { $0[registry: registry] = publication }
        return publication
    }
}
