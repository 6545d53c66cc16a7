/// The journals a repair may be made of, and why each other one is not: a repair restores
/// what was confirmed and verified. It never publishes again what the user rolled back,
/// declined or dismissed, resumes a release quit before its tags were confirmed (that would
/// be a new release), or uses a release a later verified one of the same version replaced.
struct RepairCandidates {
    /// Usable journals, newest first.
    var journals: [ReleaseJournal] = []
    /// Why the other journals of the tag are not proposed.
    var skipped: [SkippedJournal] = []

    /// The candidates among `listings` for which `concerns` holds (those that publish the
    /// audited tag); an unreadable journal cannot be asked, so it is always named.
    init(_ listings: [JournalListing], concerning concerns: (ReleaseJournal) -> Bool) {
        let readable = listings.compactMap { try? $0.journal.get() }
        for listing in listings {
            let journal: ReleaseJournal
            switch listing.journal {
            case .failure(let error):
                skipped.append(SkippedJournal(id: listing.folder.id.rawValue, reason: "unreadable: \(error.description)"))
                continue
            case .success(let read):
                journal = read
            }
            guard concerns(journal) else { continue }
            if let reason = Self.reason(journal, runner: listing.runner, among: readable) {
                skipped.append(SkippedJournal(id: journal.id.rawValue, reason: reason))
            } else {
                journals.append(journal)
            }
        }
        journals.sort { $0.createdAt > $1.createdAt }
    }

    /// Why `journal` is not a repair, or nil when it may be one.
    private static func reason(_ journal: ReleaseJournal, runner: FileLock.Holder?, among all: [ReleaseJournal]) -> String? {
        if let runner { return "running (\(runner.description)): never proposed while it runs" }
        if journal.kind == .rollback { return "a rollback: it undid another release, it is none itself" }
        if let rollback = all.first(where: { $0.kind == .rollback && $0.rollbackOf == journal.id && $0.phase == .verified }) {
            return "rolled back by \(rollback.id): publishing it again would undo that"
        }
        switch journal.phase {
        case .cancelled: return "cancelled (declined, or its builds stopped): it published nothing, and the user chose so"
        case .abandoned: return "dismissed by the user"
        default: break
        }
        if let version = journal.version, let newer = all.first(where: {
            $0.id != journal.id && $0.version == version && $0.kind != .build && $0.kind != .rollback && $0.phase == .verified && $0.createdAt > journal.createdAt
        }) {
            return "superseded by \(newer.id), a verified \(newer.kind.rawValue) of \(version)"
        }
        guard !journal.isFinished else { return nil }
        if journal.confirmed == nil && journal.kind != .build {
            return "stopped before its tags were confirmed (quit or failed, \(journal.phase.rawValue)): resuming it would be a new release, not a repair"
        }
        do { try Resumability.check(journal) } catch { return "cannot be resumed: \(RecordedError(error).message)" }
        return nil
    }
}
