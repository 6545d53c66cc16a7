import Foundation
import GantryEngine

/// Builds the release, digests and recover view-models from a config and the journal.
public enum ReleasePresenter {
    /// The matrix as the flow opens: platforms to build queued; those with a digest already
    /// reused with it (a resume), or `imported` with no builder when the flow builds nothing
    /// of its own (a publish of a CI run's digests or a build's, a promotion), so nothing
    /// looks as if it were still building, or built here.
    public static func releaseViewModel(
        config: ReleaseConfig, version: SemanticVersion?, builder: String, platforms: [ReleaseJournal.PlatformRecord], kind: ReleaseJournal.Kind
    ) -> ReleaseViewModel {
        let imports = kind == .publish || kind == .promote
        return ReleaseViewModel(
            header: ReleaseHeader(
                image: config.image, version: version?.description ?? "", registries: config.registries.map(\.host), builders: [imports ? "-" : builder]),
            rows: rows(platforms: platforms, builder: builder, kind: kind))
    }

    /// The matrix's rows of a journal's platforms (see `releaseViewModel`).
    public static func rows(platforms: [ReleaseJournal.PlatformRecord], builder: String, kind: ReleaseJournal.Kind) -> [PlatformRow] {
        let imports = kind == .publish || kind == .promote
        let shownBuilder = imports ? "-" : builder
        return platforms.map { record in
            var row = PlatformRow(platform: record.platform, builder: shownBuilder)
            switch record.state {
            case .built, .reused:
                row.state = imports ? .imported : .cached
                row.digest = record.result?.manifestDigest
            case .failed:
                row.state = .failed
                row.failure = record.error?.message
            case .cancelled:
                row.state = .cancelled
            case .pending, .building:
                break
            }
            return row
        }
    }

    /// Per platform, the digests a build journaled and whether each registry holds them.
    public static func digestsViewModel(journal: ReleaseJournal) -> DigestsViewModel {
        let repositories = journal.registries.map { $0.repository(for: journal.image) }
        return DigestsViewModel(
            // The index confirmed (the native publisher composes it before the pending tags), else one a registry holds.
            indexDigest: journal.indexToPublish?.digest ?? journal.publications.compactMap(\.indexDigest).first,
            registries: journal.registries.map(\.host),
            rows: journal.platforms.map { record in
                let presence: [DigestRow.Presence] = repositories.map { repository in
                    guard let result = record.result else { return record.state == .building ? .checking : .unknown }
                    switch result.presence[repository.name] {
                    case true?: return .present
                    case false?: return .missing
                    case nil: return .unknown
                    }
                }
                return DigestRow(
                    platform: record.platform, manifestDigest: record.result?.manifestDigest,
                    attestationDigest: record.result?.attestationDigest, presence: presence)
            })
    }

    /// The journals offered for resume (see `JournalStanding`), newest first: running ones
    /// (with their pid), interrupted ones, and unreadable ones (shown as corrupt, never
    /// dropped); beside them every other journal, each with its standing.
    public static func recoverViewModel(listings: [JournalListing]) -> RecoverViewModel {
        let standings = JournalStanding.of(listings)
        let entries = listings.map { listing -> (Date, offered: Bool, RecoverViewModel.Entry) in
            switch listing.journal {
            case .success(let journal):
                let standing = standings[journal.id] ?? .unfinished
                let where_ = stage(of: journal)
                return (journal.createdAt, standing.offeredForResume || listing.runner != nil, RecoverViewModel.Entry(
                    id: journal.id.rawValue, image: journal.image, version: journal.version?.description ?? "",
                    startedAt: journal.createdAt.formatted(.iso8601),
                    stage: listing.runner.map { "running (pid \($0.pid)): \(where_)" } ?? where_,
                    resumeRefusal: Resumability.refusal(of: listing), tagMove: journal.kind == .tag ? journal.id : nil, note: standing.note))
            case .failure(let error):
                return (.distantPast, true, RecoverViewModel.Entry(
                    id: listing.folder.id.rawValue, image: "", version: "", startedAt: "", stage: "corrupt: \(error.reason)",
                    resumeRefusal: Resumability.refusal(of: listing)))
            }
        }.sorted { $0.0 > $1.0 }
        return RecoverViewModel(releases: entries.filter(\.offered).map(\.2), notOffered: entries.filter { !$0.offered }.map(\.2))
    }

    /// `built 2 of 3 platforms`, `publishing`, ...: where the release stopped.
    public static func stage(of journal: ReleaseJournal) -> String {
        let built = journal.platforms.filter(\.state.hasDigest).count
        switch journal.phase {
        case .building, .failed: return "\(journal.phase.rawValue): built \(built) of \(journal.platforms.count) platforms"
        default: return journal.phase.rawValue + (journal.history.last.map { ": " + $0.message } ?? "")
        }
    }
}
