import Foundation

/// Where a journal stands for Recover, `gantry journal list` and `gantry resume`: the one
/// rule of which journals are offered for resume, read from what the journals recorded
/// (never guessed from their history lines), so a state folder of many runs offers only
/// the ones worth going on with.
public enum JournalStanding: Sendable, Equatable {
    /// Verified (or, for a build, built): nothing left to do.
    case finished
    /// The user said no at the confirmation: nothing was published.
    case declined
    /// Ended cancelled otherwise (its builds were cancelled, or publishing was refused).
    case cancelled
    /// The run ended with its confirmation open: resumable by its id, not offered.
    case quitBeforeConfirming
    /// Unfinished, but a journal of the same image and version was verified since or before.
    case superseded(by: ReleaseID)
    /// The user dismissed it (`abandoned`; nothing was deleted).
    case dismissed
    /// A rollback that did not finish: it is run again from the release it undoes.
    case interruptedRollback
    /// Really unfinished: offered for resume.
    case unfinished

    /// Whether Recover lists it by default and `gantry resume` without an id may pick it.
    public var offeredForResume: Bool { self == .unfinished }

    /// The few words `journal list` and Recover show beside the journal.
    public var note: String {
        switch self {
        case .finished: return "finished"
        case .declined: return "declined"
        case .cancelled: return "cancelled"
        case .quitBeforeConfirming: return "quit before confirming"
        case .superseded(let id): return "superseded by \(id)"
        case .dismissed: return "dismissed"
        case .interruptedRollback: return "interrupted rollback"
        case .unfinished: return "unfinished"
        }
    }

    /// Whether `gantry resume` without an id may take the journal now: offered, and no process runs it.
    public static func resumesWithoutID(_ standing: JournalStanding?, runner: FileLock.Holder?) -> Bool {
        standing?.offeredForResume == true && runner == nil
    }

    /// The standings of the readable journals of `listings` (see `of(_:)`).
    public static func of(_ listings: [JournalSummaryListing]) -> [ReleaseID: JournalStanding] {
        of(listings.compactMap { try? $0.summary.get() })
    }

    /// The standings of the readable journals of `listings` (see `of(_:)`).
    public static func of(_ listings: [JournalListing]) -> [ReleaseID: JournalStanding] {
        of(listings.compactMap { try? JournalSummary($0.journal.get()) })
    }

    /// The standing of every journal of `summaries`, by id: superseding is decided among them.
    public static func of(_ summaries: [JournalSummary]) -> [ReleaseID: JournalStanding] {
        // The newest verified publication of each image and version.
        var verified: [VersionKey: JournalSummary] = [:]
        for summary in summaries where summary.phase == .verified && summary.kind != .rollback && summary.kind != .build {
            guard let key = VersionKey(summary) else { continue }
            if let known = verified[key], known.createdAt >= summary.createdAt { continue }
            verified[key] = summary
        }
        return Dictionary(summaries.map { summary in
            (summary.id, of(summary, verified: VersionKey(summary).flatMap { verified[$0] }?.id))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// The standing of `summary`, `verified` being the id of a verified journal of its image and version.
    private static func of(_ summary: JournalSummary, verified: ReleaseID?) -> JournalStanding {
        switch summary.phase {
        case .abandoned: return .dismissed
        case .cancelled: return summary.unconfirmed == .declined ? .declined : .cancelled
        default: break
        }
        if summary.isFinished { return .finished }
        if summary.kind == .rollback { return .interruptedRollback }
        if summary.unconfirmed == .left { return .quitBeforeConfirming }
        if let verified, verified != summary.id { return .superseded(by: verified) }
        return .unfinished
    }

    /// Journals publishing the same release: one image (one line of it: a family's variants
    /// share a repository, not their tags), one version.
    private struct VersionKey: Hashable {
        var image: String
        var version: SemanticVersion

        init?(_ summary: JournalSummary) {
            guard let version = summary.version else { return nil }
            image = summary.family?.member ?? summary.image
            self.version = version
        }
    }
}
