import Foundation
import GantryEngine

/// Builds the journal screen from the state folder's listings: every journal, its state and
/// its whole record for the detail pane; whether it may be rolled back is the rollback flow's answer.
public enum JournalPresenter {
    /// Every journal, newest first (journals keep whole seconds: of two started in the same
    /// one, the later updated, then the greater id); unreadable ones last, shown as corrupt, never dropped.
    public static func viewModel(listings: [JournalListing]) -> JournalViewModel {
        JournalViewModel(entries: listings.map { listing -> (Date, Date, JournalViewModel.Entry) in
            let refusal = RollbackFlow.refusal(of: listing)
            switch listing.journal {
            case .success(let journal):
                let (state, text) = state(of: journal, runner: listing.runner)
                // A family's member is named as the family names it (`acme/app:slim`) and marked
                // as a family's, as `gantry journal list` shows the family: `b` on it rolls the family back.
                return (journal.createdAt, journal.updatedAt, JournalViewModel.Entry(
                    id: journal.id.rawValue, kind: journal.kind.rawValue + (journal.family == nil ? "" : " (family)"),
                    image: journal.family?.member ?? journal.image, state: state, stateText: text,
                    version: journal.version?.description ?? "", startedAt: time(journal.createdAt),
                    detail: detail(of: journal, state: text), rollbackRefusal: refusal))
            case .failure(let error):
                return (.distantPast, .distantPast, JournalViewModel.Entry(
                    id: listing.folder.id.rawValue, kind: "", state: .corrupt, stateText: "corrupt: \(error.reason)", version: "", startedAt: "",
                    detail: [.init(error.description, role: .danger)], rollbackRefusal: refusal))
            }
        }.sorted { ($0.0, $0.1, $0.2.id) > ($1.0, $1.1, $1.2.id) }.map(\.2))
    }

    /// The version each published index carries, by index digest: a rollback's preview says
    /// which version a tag goes back to, not only which digest.
    public static func versions(listings: [JournalListing]) -> [String: String] {
        var versions: [String: String] = [:]
        for listing in listings {
            guard case .success(let journal) = listing.journal, journal.kind != .rollback, let version = journal.version else { continue }
            for digest in journal.publications.compactMap(\.indexDigest) { versions[digest] = version.description }
        }
        return versions
    }

    /// `running (pid 4242)`, `failed: linux/arm64: exit status 1`, `interrupted (publishing)`, `verified`...
    static func state(of journal: ReleaseJournal, runner: FileLock.Holder?) -> (JournalViewModel.State, String) {
        if let runner { return (.running, "running (pid \(runner.pid))") }
        switch journal.phase {
        case .verified: return (.verified, "verified")
        case .cancelled: return (.cancelled, "cancelled")
        case .abandoned: return (.abandoned, "abandoned")
        case .failed: return (.failed, "failed" + (cause(of: journal).map { ": " + $0 } ?? ""))
        case .built where journal.isFinished: return (.built, "built")
        default: return (.interrupted, "interrupted (\(journal.phase.rawValue))")
        }
    }

    /// The first error the journal recorded: a platform's, else a registry's.
    static func cause(of journal: ReleaseJournal) -> String? {
        if let failed = journal.platforms.first(where: { $0.error != nil }), let error = failed.error {
            return "\(failed.platform): \(firstLine(error.message))"
        }
        if let failed = journal.publications.first(where: { $0.error != nil }), let error = failed.error {
            return "\(failed.registry): \(firstLine(error.message))"
        }
        return journal.history.last.map { firstLine($0.message) }
    }

    /// The detail pane: what the journal is, each platform with its digests, what the tags
    /// pointed to before, each publication with its index and tags, errors, then the history in order.
    static func detail(of journal: ReleaseJournal, state: String) -> [JournalViewModel.DetailLine] {
        typealias Line = JournalViewModel.DetailLine
        var lines: [Line] = [
            Line("\(journal.kind.rawValue) \(journal.id)", role: .accent, isHeading: true),
            Line("Image    \(journal.image)"),
            Line("Version  \(journal.version?.description ?? "-")"),
            Line("State    \(state)", role: journal.phase == .failed ? .danger : .plain),
            Line("Started  \(time(journal.createdAt))   Updated \(time(journal.updatedAt))"),
        ]
        if let family = journal.family {
            lines.append(Line("Family   \(family.id): \(family.members.joined(separator: ", ")) (this is \(family.member); resume and roll back the family)"))
        }
        if let configPath = journal.configPath { lines.append(Line("Config   \(configPath)")) }
        if let of = journal.rollbackOf { lines.append(Line("Rolls back \(of)")) }
        if let promotion = journal.promotion {
            lines.append(Line("Promotes \(promotion.from.host)/\(journal.image):\(promotion.tag) (\(promotion.indexDigest))"))
        }
        lines.append(Line("Tags     \(journal.tags.joined(separator: " ")) in \(journal.registries.map(\.host).joined(separator: ", "))"))
        if !journal.platforms.isEmpty {
            lines.append(Line("Platforms", isHeading: true))
            for record in journal.platforms {
                let role: ColorRole = record.state == .failed ? .danger : record.state.hasDigest ? .success : .plain
                lines.append(Line("  \(record.platform)  \(record.state.rawValue)  \(record.result?.manifestDigest ?? "")", role: role))
                if let attestation = record.result?.attestationDigest { lines.append(Line("    attestation \(attestation)", role: .muted)) }
                if let error = record.error { lines += error.message.split(separator: "\n").map { Line("    error: \($0)", role: .danger) } }
            }
        }
        if !journal.before.isEmpty {
            lines.append(Line("Tags before", isHeading: true))
            lines += journal.before.map { Line("  \($0.registry) \($0.tag)  \($0.digest ?? "(none: created)")") }
        }
        lines.append(Line("Publications", isHeading: true))
        for publication in journal.publications {
            let role: ColorRole = publication.state == .failed ? .danger : publication.state == .verified ? .success : .plain
            lines.append(Line("  \(publication.registry)  \(publication.state.rawValue)  index \(publication.indexDigest ?? "-")", role: role))
            if !publication.verification.isEmpty {
                let ok = publication.verification.filter(\.ok).map(\.tag)
                lines.append(Line("    tags \(publication.verification.map(\.tag).joined(separator: " ")) (\(ok.count)/\(publication.verification.count) verified)", role: .muted))
            }
            if let error = publication.error { lines += error.message.split(separator: "\n").map { Line("    error: \($0)", role: .danger) } }
        }
        lines.append(Line("History", isHeading: true))
        for entry in journal.history {
            let role: ColorRole = entry.message.contains("failed") ? .danger : .plain
            lines += entry.message.split(separator: "\n").enumerated().map { i, text in
                Line((i == 0 ? "  \(time(entry.at))  " : String(repeating: " ", count: 24)) + text, role: role)
            }
        }
        return lines
    }

    static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    private static func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "") }
}
