import GantryEngine

/// Builds the release, digests and recover view-models from a config and the journal.
public enum ReleasePresenter {
    /// The matrix before anything ran: every platform queued.
    public static func releaseViewModel(config: ReleaseConfig, version: SemanticVersion, builder: String) -> ReleaseViewModel {
        ReleaseViewModel(
            header: ReleaseHeader(
                image: config.image, version: version.description, registries: config.registries.map(\.host), builders: [builder]),
            rows: config.platforms.map { PlatformRow(platform: $0.platform, builder: builder) })
    }

    /// Per platform, the digests a build journaled and whether each registry holds them.
    public static func digestsViewModel(journal: ReleaseJournal) -> DigestsViewModel {
        let repositories = journal.registries.map { $0.repository(for: journal.image) }
        return DigestsViewModel(
            indexDigest: journal.publications.compactMap(\.indexDigest).first,
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

    /// The releases the journal did not see finish (not verified, not cancelled), newest first.
    public static func recoverViewModel(journals: [ReleaseJournal]) -> RecoverViewModel {
        RecoverViewModel(releases: journals.filter { !$0.phase.isFinished }
            .sorted { $0.createdAt > $1.createdAt }
            .map { journal in
                RecoverViewModel.Entry(
                    id: journal.id.rawValue, image: journal.image, version: journal.version?.description ?? "",
                    startedAt: journal.createdAt.formatted(.iso8601), stage: stage(of: journal))
            })
    }

    /// `built 2 of 3 platforms`, `publishing`, ...: where the release stopped.
    public static func stage(of journal: ReleaseJournal) -> String {
        let built = journal.platforms.filter { $0.state == .built }.count
        switch journal.phase {
        case .building, .failed: return "\(journal.phase.rawValue): built \(built) of \(journal.platforms.count) platforms"
        default: return journal.phase.rawValue + (journal.history.last.map { ": " + $0.message } ?? "")
        }
    }
}
