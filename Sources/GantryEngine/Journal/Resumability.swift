import Foundation

/// Whether a journal can be resumed, and why not: the one rule `gantry resume`, the
/// console's Recover and the repair advisor all ask, so none of them offers a resume
/// another would refuse.
public enum Resumability {
    /// Whether a journal of `kind` at `phase` has anything left to resume: unfinished, and
    /// not a rollback (a rollback is run again from the release it undoes). Resuming by id
    /// asks only this; what is offered without one is `JournalStanding.offeredForResume`.
    static func isUnfinished(_ kind: ReleaseJournal.Kind, at phase: ReleaseJournal.Phase) -> Bool {
        kind != .rollback && !kind.isFinished(at: phase)
    }

    /// Throws why `journal` cannot be resumed: a rollback, finished, or what it needs to go
    /// on was not recorded or changed since (see `settings(of:config:)`). A tag journal goes
    /// on from the `gantry tag` it recorded.
    public static func check(_ journal: ReleaseJournal, config given: String? = nil) throws {
        if journal.kind == .tag {
            try unfinished(journal)
            guard journal.tagging != nil else {
                throw FlowError(.notResumable, "\(journal.id) is a tag journal that did not record its `gantry tag`; run that command again")
            }
            return
        }
        _ = try settings(of: journal, config: given)
    }

    /// The settings a release, build, publish or promotion journal resumes with; throws why
    /// it cannot be resumed: a rollback, finished, no recorded settings, or a config other
    /// than `given` or changed since it started (a resume runs strictly with what the
    /// journal recorded).
    public static func settings(of journal: ReleaseJournal, config given: String? = nil) throws -> ReleaseSettings {
        let id = journal.id
        try unfinished(journal)
        guard journal.kind != .tag else {
            throw FlowError(.notResumable, "\(id) is a tag journal: it goes on as the `gantry tag` it recorded (`gantry resume \(id)`), not as a release")
        }
        guard let settings = journal.settings else {
            throw FlowError(.notResumable, "\(id) was journaled by a Gantry that did not record its settings; publish its digests with `gantry publish \(id)`")
        }
        if let given, URL(fileURLWithPath: given).standardizedFileURL.path != settings.configPath {
            throw FlowError(.configChanged, "\(id) was started with the config \(settings.configPath), not \(given); a resume runs with the config it started with")
        }
        let now = try ReleaseSettings.fingerprint(ofConfigAt: settings.configPath)
        guard now.digest == settings.configDigest else {
            throw FlowError(.configChanged, "\(settings.configPath) changed since \(id) started (\(Digest.short(settings.configDigest)) then, \(Digest.short(now.digest)) now); a resume runs with the config it started with: restore it, or start a new release")
        }
        return settings
    }

    /// Throws when `journal` has nothing left to resume.
    private static func unfinished(_ journal: ReleaseJournal) throws {
        guard journal.kind != .rollback else {
            throw FlowError(.notResumable, "\(journal.id) is a rollback; run `gantry rollback \(journal.rollbackOf?.rawValue ?? "ID")` again instead")
        }
        guard isUnfinished(journal.kind, at: journal.phase) else {
            throw FlowError(.notResumable, "\(journal.kind.rawValue) \(journal.id) is \(journal.phase.rawValue); there is nothing to resume")
        }
    }

    /// Why the journal of `listing` cannot be resumed now (another process runs it, it
    /// cannot be read, or see `check(_:config:)`); nil when a resume would start.
    public static func refusal(of listing: JournalListing) -> String? {
        if let runner = listing.runner { return FlowError.running(listing.folder.id, runner).message }
        switch listing.journal {
        case .failure(let error): return error.description
        case .success(let journal):
            do { try check(journal) } catch { return RecordedError(error).message }
            return nil
        }
    }
}
