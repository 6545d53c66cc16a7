import Foundation

/// The journals of a family release: its members', found by the family id they carry.
public enum FamilyJournals {
    /// The members' journals of the family `id`, in config order.
    public static func members(of id: ReleaseID, in store: JournalStore) throws -> [ReleaseJournal] {
        let ids = try store.summaries().compactMap { listing -> ReleaseID? in
            guard case .success(let summary) = listing.summary, summary.family?.id == id else { return nil }
            return summary.id
        }
        return try ids.map(store.load).sorted { ($0.family?.position ?? 0, $0.id) < ($1.family?.position ?? 0, $1.id) }
    }

    /// Where a family release stands: verified once every member is; otherwise as its
    /// least advanced member (the one a resume waits for).
    public static func phase(of members: [JournalSummary]) -> ReleaseJournal.Phase? {
        let order: [ReleaseJournal.Phase] = [.failed, .cancelled, .abandoned, .building, .copying, .built, .publishing, .verified]
        return members.map(\.phase).min { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
    }

    /// The family release `id` names: itself when it is a family's id (its members carry it;
    /// it has no folder of its own), the family of a member's journal; nil otherwise.
    public static func family(of id: ReleaseID, in store: JournalStore) -> ReleaseID? {
        // Unreadable here is not a family: the caller's own read of `id` reports why.
        if FileManager.default.fileExists(atPath: store.state.release(id).journal.path) {
            return (try? store.load(id))?.family?.id
        }
        return (try? members(of: id, in: store).isEmpty) == false ? id : nil
    }
}
