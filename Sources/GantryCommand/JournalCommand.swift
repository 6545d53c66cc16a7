import ArgumentParser
import Foundation
import GantryEngine

/// `gantry journal list|show|dismiss`: the releases Gantry has journaled.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "List, show and dismiss release journals.",
        subcommands: [List.self, Show.self, Dismiss.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every journaled release, newest first.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Print JSON.") var json = false
        @Option(help: ArgumentHelp("Only the journals of this image (as the config's `image:` names it); unreadable ones are always listed.", valueName: "image"))
        var image: String?

        func run() throws {
            // Newest first; unreadable journals after the readable ones, shown, never dropped.
            // Only the summaries are read: the list shows nothing else of a journal.
            let listings = try JournalStore(state: options.state).summaries().filter { listing in
                guard let image, case .success(let summary) = listing.summary else { return true }
                return summary.image == image
            }.sorted { a, b in
                switch (a.summary, b.summary) {
                case (.success(let x), .success(let y)): return x.createdAt > y.createdAt
                case (.success, .failure): return true
                default: return false
                }
            }
            // Superseding is decided within an image: the filter leaves every journal it needs.
            let standings = JournalStanding.of(listings)
            // A family's members are one entry, where its first member would be listed.
            var families: [ReleaseID: [JournalSummary]] = [:]
            for listing in listings {
                if case .success(let j) = listing.summary, let link = j.family { families[link.id, default: []].append(j) }
            }
            families = families.mapValues { $0.sorted { ($0.family?.position ?? 0) < ($1.family?.position ?? 0) } }
            var shown = Set<ReleaseID>()
            let entries = listings.filter { listing in
                guard case .success(let j) = listing.summary, let link = j.family else { return true }
                return shown.insert(link.id).inserted
            }
            if json {
                let summaries = entries.map { listing -> Summary in
                    guard case .success(let j) = listing.summary, let link = j.family, let members = families[link.id] else { return Summary(listing, standings) }
                    return Summary(family: link.id, members: members)
                }
                OutputStream.standardOutput.raw(try JSONOutput.encode(["releases": summaries]))
                return
            }
            var rows = [["ID", "KIND", "IMAGE", "VERSION", "STATE", "NOTE", "UPDATED"]]
            let dates = ISO8601DateFormatter()
            for listing in entries {
                switch listing.summary {
                case .success(let j):
                    if let link = j.family, let members = families[link.id] {
                        let images = members.compactMap { $0.family?.member }
                        rows.append([
                            link.id.rawValue, "\(j.kind.rawValue) (family)", images.joined(separator: ", "), j.version?.description ?? "-",
                            FamilyJournals.phase(of: members)?.rawValue ?? "-",
                            members.map { "\($0.family?.member ?? $0.image) \($0.phase.rawValue)" }.joined(separator: ", "),
                            dates.string(from: members.map(\.updatedAt).max() ?? j.updatedAt),
                        ])
                        continue
                    }
                    rows.append([
                        j.id.rawValue, j.kind.rawValue, j.image, j.version?.description ?? "-", listing.status,
                        standings[j.id]?.note ?? "-", dates.string(from: j.updatedAt),
                    ])
                case .failure(let error):
                    rows.append([listing.folder.id.rawValue, "-", "-", "-", "corrupt: \(error.reason)", "-", "-"])
                }
            }
            OutputStream.standardOutput.text(rows.count == 1 ? "no releases in \(options.state.root.path)" : TextTable.render(rows, width: TextTable.terminalWidth, shrinking: 0))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One release: platforms, tags before, publications, verification, history.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The release id.") var id: String
        @Flag(help: "Print the journal as JSON.") var json = false

        func run() throws {
            let store = JournalStore(state: options.state)
            let id = try ReleaseID(self.id)
            // A family's id shows every member's journal, in config order.
            if !FileManager.default.fileExists(atPath: options.state.release(id).journal.path), FamilyJournals.family(of: id, in: store) == id {
                let members = try FamilyJournals.members(of: id, in: store)
                if json {
                    OutputStream.standardOutput.raw(try JSONOutput.encode(FamilyShown(family: id.rawValue, members: members)))
                } else {
                    OutputStream.standardOutput.text(members.map { "== \($0.family?.member ?? $0.image) ==\n" + JournalText.render($0) }.joined(separator: "\n"))
                }
                return
            }
            let journal = try store.load(id)
            if json {
                OutputStream.standardOutput.raw(try JSONOutput.encode(journal))
                return
            }
            OutputStream.standardOutput.text(JournalText.render(journal))
        }
    }

    /// `journal show --json` of a family: its id and every member's journal.
    struct FamilyShown: Encodable {
        var family: String
        var members: [ReleaseJournal]
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark unfinished releases abandoned: Recover and the advice stop offering them; nothing is deleted.",
            discussion: "A release another process is running, or one already finished, is refused (named, with why); the others are still dismissed, and the exit status is then 1.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The release ids.") var ids: [String]

        func run() throws {
            guard !ids.isEmpty else { throw ValidationError("name at least one release id (gantry journal list shows them)") }
            let store = JournalStore(state: options.state)
            var refused = 0
            for text in ids {
                do {
                    let id = try ReleaseID(text)
                    try store.abandon(id)
                    OutputStream.standardOutput.text("\(id): dismissed (its journal says abandoned; nothing was deleted)")
                } catch {
                    refused += 1
                    OutputStream.standardError.text("gantry journal dismiss: \(Sanitizer.visible(text)): \(RecordedError(error).message)")
                }
            }
            if refused > 0 { throw ExitCode(1) }
        }
    }

    /// One entry of `journal list --json`: the journal's summary, who runs it, or why it cannot be read.
    struct Summary: Encodable {
        var id: String, kind: String?, image: String?, version: String?, phase: String?, updatedAt: Date?
        var state: String
        /// A family release's members: each image's journal and phase.
        var members: [Member]?
        struct Member: Encodable {
            var member: String, id: String, image: String, phase: String
        }
        /// The journal's standing (`JournalStanding.note`); nil when it cannot be read.
        var note: String?
        /// Whether `gantry resume` without an id may take it.
        var offeredForResume: Bool
        var runningPid: Int32?
        var error: String?
        init(_ listing: JournalSummaryListing, _ standings: [ReleaseID: JournalStanding]) {
            id = listing.folder.id.rawValue
            state = listing.status
            let standing = standings[listing.folder.id]
            note = standing?.note
            offeredForResume = JournalStanding.resumesWithoutID(standing, runner: listing.runner)
            runningPid = listing.runner?.pid
            switch listing.summary {
            case .success(let j):
                kind = j.kind.rawValue; image = j.image; version = j.version?.description
                phase = j.phase.rawValue; updatedAt = j.updatedAt
            case .failure(let failure):
                error = failure.description
            }
        }

        /// A family release as one entry: resumed, rolled back and listed by its id.
        init(family id: ReleaseID, members: [JournalSummary]) {
            self.id = id.rawValue
            kind = members.first?.kind.rawValue
            image = members.first?.image
            version = members.first?.version?.description
            let phase = FamilyJournals.phase(of: members)
            self.phase = phase?.rawValue
            state = phase?.rawValue ?? "-"
            updatedAt = members.map(\.updatedAt).max()
            offeredForResume = false
            self.members = members.map { Member(member: $0.family?.member ?? $0.image, id: $0.id.rawValue, image: $0.image, phase: $0.phase.rawValue) }
        }
    }
}

/// The human-readable journal.
enum JournalText {
    static func render(_ j: ReleaseJournal) -> String {
        var out = "\(j.kind.rawValue) \(j.id): \(j.image) \(j.version?.description ?? "") — \(j.phase.rawValue)\n"
        if let of = j.rollbackOf { out += "rolls back \(of)\n" }
        if let promotion = j.promotion {
            out += "promotes \(promotion.from.host)/\(j.image):\(promotion.tag) (\(promotion.indexDigest))\n"
        }
        out += "tags: \(j.tags.joined(separator: " ")) in \(j.registries.map(\.host).joined(separator: ", "))\n"
        if let settings = j.settings {
            out += "settings: config \(settings.configPath) (\(Digest.short(settings.configDigest))), \(settings.builder.rawValue) + \(settings.publisher.rawValue), revision \(settings.revision ?? "-"), Gantry \(settings.gantryVersion)"
            if !settings.allowPartial.isEmpty { out += ", allow-partial \(settings.allowPartial.map(\.description).joined(separator: " "))" }
            if settings.allowDowngrade { out += ", allow-downgrade" }
            if settings.allowVersionRewrite == true { out += ", allow-version-rewrite" }
            if settings.workTreeDirty == true { out += ", work tree with uncommitted changes" }
            out += "\n"
        }
        if let index = j.index {
            out += "index: \(index.digest)" + (index.bytes.map { " (\($0.count) bytes journaled: every publication of this release pushes them)" } ?? "") + "\n"
        }
        out += "\nPlatforms\n"
        out += TextTable.render([["PLATFORM", "STATE", "MANIFEST", "ATTESTATION"]] + j.platforms.map {
            [$0.platform.description, $0.state.rawValue, $0.result.map { Digest.short($0.manifestDigest) } ?? "-", $0.result?.attestationDigest.map(Digest.short) ?? "-"]
        })
        if !j.before.isEmpty {
            out += "\nBefore\n" + TextTable.render([["REGISTRY", "TAG", "DIGEST"]] + j.before.map { [$0.registry, $0.tag, $0.digest.map(Digest.short) ?? "(none)"] })
        }
        out += "\nPublications\n" + TextTable.render([["REGISTRY", "STATE", "INDEX", "VERIFIED"]] + j.publications.map {
            [$0.registry, $0.state.rawValue, $0.indexDigest.map(Digest.short) ?? "-", $0.verification.isEmpty ? "-" : "\($0.verification.filter(\.ok).count)/\($0.verification.count)"]
        })
        out += "\nHistory\n" + j.history.map { "  \(ISO8601DateFormatter().string(from: $0.at))  \($0.message)\n" }.joined()
        return out
    }
}
