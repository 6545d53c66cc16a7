/// Where a member's journal belongs: the family release it is part of and which member it
/// is. The members' journals together are the family's journal: `gantry journal list`
/// shows them as one entry, `gantry resume` and `rollback` take the family's id, and a
/// resume reads its member's config from the family's config by `member`.
public struct FamilyLink: Codable, Sendable, Hashable {
    /// The family release's id (`app-family-1.2.3-20261204T190000Z`).
    public var id: ReleaseID
    /// The member's name (`acme/app:slim`).
    public var member: String
    /// The member's place in the family (config order: the order lists and sets show).
    public var position: Int
    /// Every member of the family, in order: a resume knows one that never got a journal.
    public var members: [String]

    public init(id: ReleaseID, member: String, position: Int, members: [String]) {
        self.id = id
        self.member = member
        self.position = position
        self.members = members
    }

    /// The member's name as the name part of its release id (`acme-app-slim`).
    var releaseName: String { String(member.map { $0 == "/" || $0 == ":" ? "-" : $0 }) }
}
