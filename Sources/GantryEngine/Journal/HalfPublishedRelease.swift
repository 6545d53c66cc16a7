import Foundation

/// A release that moved tags in some registry but did not verify in every one, and is still
/// offered for resume (not finished, declined, superseded or dismissed): the image's tags
/// disagree between registries until it is finished. Home and `gantry release` warn of it
/// before a new release of the same image, and the version suggestions offer to finish it.
public struct HalfPublishedRelease: Sendable, Equatable {
    public var id: ReleaseID
    public var version: SemanticVersion
    /// The registries whose tags were read back right.
    public var verified: [String]
    /// The registries written but not (or wrongly) read back.
    public var unverified: [String]
    /// The registries nothing was written to.
    public var unwritten: [String]

    /// `1.1.0 is half-published (b.io not written)`: what a warning says of it.
    public var description: String {
        let missing = [(unwritten, "not written"), (unverified, "not verified")]
            .filter { !$0.0.isEmpty }.map { "\($0.0.joined(separator: ", ")) \($0.1)" }
        return "\(version) is half-published (\(missing.joined(separator: "; ")))"
    }

    /// The newest half-published release of `image` among `listings` (unreadable journals are skipped).
    public static func newest(of image: String, in listings: [JournalListing]) -> HalfPublishedRelease? {
        let standings = JournalStanding.of(listings)
        return listings.compactMap { try? $0.journal.get() }
            .filter { $0.image == image && standings[$0.id] == .unfinished }
            .sorted { $0.createdAt > $1.createdAt }
            .lazy.compactMap(Self.init).first
    }

    /// The half-published release `journal` is, if it is one (its standing aside).
    init?(_ journal: ReleaseJournal) {
        guard let version = journal.version, journal.kind != .build, journal.kind != .rollback else { return nil }
        let written = journal.publications.filter(\.wroteTags)
        let verified = written.filter { $0.state == .verified }
        guard !written.isEmpty, verified.count < journal.publications.count else { return nil }
        id = journal.id
        self.version = version
        self.verified = verified.map(\.registry)
        unverified = written.filter { $0.state != .verified }.map(\.registry)
        unwritten = journal.publications.filter { !$0.wroteTags }.map(\.registry)
    }
}

extension ReleaseJournal.RegistryPublication {
    /// Whether tags of the registry may have moved: publishing (perhaps cut short), published, or read back.
    var wroteTags: Bool { [.publishing, .published, .verified].contains(state) || !verification.isEmpty }
}
