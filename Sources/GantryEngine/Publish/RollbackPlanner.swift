/// Works out what rolling a release back changes: every tag the release moved, and
/// that still points at the release's index, goes back to its previous digest.
/// Tags moved since by someone else are held (a rollback overwrites nobody's work);
/// tags the release created are listed apart (a rollback deletes nothing).
public struct RollbackPlanner: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The preview of rolling back `release`, from the tags' state now.
    public func plan(_ release: ReleaseJournal) async throws -> RollbackPlan {
        var rows: [PendingTag] = []
        var created: [ReleaseJournal.TagSnapshot] = []
        for snapshot in release.before {
            guard let previous = snapshot.digest else {
                created.append(snapshot)
                continue
            }
            let repository = release.repository(snapshot.registry)
            let released = release[registry: snapshot.registry]?.indexDigest
            let now = try await client.resolve(repository.with(tag: snapshot.tag))
            let current = now.map { TagTarget(digest: $0.digest, mediaType: $0.mediaType, platforms: []) }
            let back = TagTarget(digest: previous, platforms: [])
            var row = PendingTag(registry: snapshot.registry, tag: snapshot.tag, current: current, new: back, change: .move)
            if now?.digest == previous {
                row.change = .unchanged
            } else if released == nil || now?.digest != released {
                let what = now.map { "points to \(Digest.short($0.digest))" } ?? "no longer exists"
                let expected = released.map { "the release's index \(Digest.short($0))" } ?? "an index of this release (none was published there)"
                row.change = .held
                row.warnings.append(PendingWarning(.drift, "\(snapshot.tag) \(what), not \(expected); left alone"))
            }
            rows.append(row)
        }
        return RollbackPlan(release: release.id, pending: PendingTagSet(rows: rows, targets: []), created: created)
    }
}

/// The preview of a rollback: tag rows `current → previous` and the created tags it keeps.
public struct RollbackPlan: Codable, Sendable, Equatable {
    public var release: ReleaseID
    /// `move` rows go back to `new.digest` (the previous digest); `held` rows are left alone.
    public var pending: PendingTagSet
    /// Tags the release created: listed, never deleted.
    public var created: [ReleaseJournal.TagSnapshot]

    /// Whether any tag would be written.
    public var hasChanges: Bool { pending.rows.contains { $0.change == .move } }
}
