/// A journal the repair advisor did not propose, and why.
public struct SkippedJournal: Codable, Sendable, Hashable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}
