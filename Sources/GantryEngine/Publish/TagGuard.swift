/// Checks, just before a registry's tags are written, that none moved since the user
/// confirmed the pending tag set (someone else published meanwhile).
public struct TagGuard: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// Throws `TagMovedError` naming every tag of `registry` that moved since `confirmed`
    /// (all read at once); nothing of the registry has been written when it throws.
    public func check(_ confirmed: PendingTagSet, registry: String, repository: ImageReference) async throws {
        try await check(confirmed.rows(for: registry).filter { $0.change != .held }, in: repository, registry: registry)
    }

    /// The same for `rows`.
    public func check(_ rows: [PendingTag], in repository: ImageReference, registry: String) async throws {
        let moved = try await withThrowingTaskGroup(of: (Int, TagMovedError.Move?).self) { group in
            for (i, row) in rows.enumerated() {
                group.addTask { (i, try await movement(of: row, in: repository)) }
            }
            var found: [(Int, TagMovedError.Move)] = []
            for try await (i, move) in group { if let move { found.append((i, move)) } }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if !moved.isEmpty { throw TagMovedError(registry: registry, moves: moved) }
    }

    /// Re-resolves one tag right before its own write; throws when it moved since confirmation.
    /// `written` are the tags of the registry already moved, for the error.
    public func check(_ row: PendingTag, in repository: ImageReference, written: [String]) async throws {
        if let move = try await movement(of: row, in: repository) {
            throw TagMovedError(registry: row.registry, moves: [move], written: written)
        }
    }

    /// Where `row`'s tag moved since confirmation; nil when it did not, or when it already
    /// points where it is going (a write of ours that timed out but landed late, or the same
    /// release published by another process): writing the same bytes again loses nothing.
    func movement(of row: PendingTag, in repository: ImageReference) async throws -> TagMovedError.Move? {
        let now = try await client.resolve(repository.with(tag: row.tag))?.digest
        guard now != row.current?.digest, now == nil || now != row.new.digest else { return nil }
        return TagMovedError.Move(tag: row.tag, confirmed: row.current?.digest, now: now)
    }
}

/// Tags that changed between confirmation and their write. `written` lists the tags of
/// the registry already moved to the new index; every other tag was left as it was.
public struct TagMovedError: ClassifiedError, Sendable, Equatable {
    public var registry: String
    public var moves: [Move]
    public var written: [String]

    public struct Move: Sendable, Equatable, Codable {
        public var tag: String
        public var confirmed: String?
        public var now: String?
    }

    public init(registry: String, moves: [Move], written: [String] = []) {
        self.registry = registry
        self.moves = moves
        self.written = written
    }

    public var code: String { "publish.tagMoved" }

    public var description: String {
        let list = moves.map { "\($0.tag) moved from \($0.confirmed.map(Digest.short) ?? "(absent)") to \($0.now.map(Digest.short) ?? "(absent)")" }
        let state = written.isEmpty
            ? "\(registry) was not touched"
            : "\(registry) stopped: \(written.joined(separator: ", ")) already point to the new index, no other tag was written"
        return "\(state): since you confirmed, someone else published (\(list.joined(separator: "; "))). Review the new state and release again."
    }
}
