/// Checks, just before a registry is written, that none of its tags moved since the
/// user confirmed the pending tag set (someone else published meanwhile).
public struct TagGuard: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// Throws `TagMovedError` naming every tag of `registry` that moved since `confirmed`.
    public func check(_ confirmed: PendingTagSet, registry: String, repository: ImageReference) async throws {
        var moved: [TagMovedError.Move] = []
        for row in confirmed.rows(for: registry) where row.change != .held {
            let now = try await client.resolve(repository.with(tag: row.tag))?.digest
            if now != row.current?.digest {
                moved.append(TagMovedError.Move(tag: row.tag, confirmed: row.current?.digest, now: now))
            }
        }
        if !moved.isEmpty { throw TagMovedError(registry: registry, moves: moved) }
    }
}

/// Tags that changed between confirmation and publishing; the registry was not touched.
public struct TagMovedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var registry: String
    public var moves: [Move]

    public struct Move: Sendable, Equatable, Codable {
        public var tag: String
        public var confirmed: String?
        public var now: String?
    }

    public var description: String {
        let list = moves.map { "\($0.tag) moved from \($0.confirmed.map(Digest.short) ?? "(absent)") to \($0.now.map(Digest.short) ?? "(absent)")" }
        return "\(registry) was not touched: since you confirmed, someone else published (\(list.joined(separator: "; "))). Review the new state and release again."
    }
}
