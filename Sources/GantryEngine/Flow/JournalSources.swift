import Foundation

/// What a journaled release or build produced, as a new publication of it needs it: its
/// digests, the annotations and revision it started with, and the index it confirmed.
public struct JournalSources: Sendable, Equatable {
    public var id: ReleaseID
    public var version: SemanticVersion?
    public var sources: [PlatformSource]
    /// Its settings (annotations, revision, work tree); nil in journals of a Gantry before 0.2.
    public var settings: ReleaseSettings?
    /// The index it confirmed or published, when it got that far.
    public var index: JournaledIndex?

    /// What `id` built; refuses while a process runs that release (its digests are not final yet).
    public static func of(_ id: ReleaseID, in state: StateDirectory) throws -> JournalSources {
        let folder = state.release(id)
        if let holder = FileLock.holder(at: folder.lock) { throw FlowError.running(id, holder) }
        let journal = try JournalStore(state: state).load(id)
        // One image of a family published on its own would break the family's all-or-nothing.
        if let link = journal.family {
            throw FlowError(.notResumable, "\(id) is \(link.member) of the family release \(link.id): `gantry resume \(link.id)` publishes every image together")
        }
        return JournalSources(id: id, version: journal.version, sources: journal.publishingSources, settings: journal.settings, index: journal.indexToPublish)
    }
}
