/// The digests a journaled release or build produced, as publishing sources.
public enum JournalSources {
    /// What `id` built, with its version; refuses while a process runs that release
    /// (its digests are not final yet).
    public static func of(_ id: ReleaseID, in state: StateDirectory) throws -> (version: SemanticVersion?, sources: [PlatformSource]) {
        let folder = state.release(id)
        if let holder = FileLock.holder(at: folder.lock) { throw FlowError.running(id, holder) }
        let journal = try JournalStore(state: state).load(id)
        return (journal.version, journal.publishingSources)
    }
}
