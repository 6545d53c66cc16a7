import ArgumentParser
import Foundation
import GantryEngine

/// `gantry journal list|show`: the releases Gantry has journaled.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "List and show release journals.",
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every journaled release, newest first.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let entries = JournalStore(state: options.state).list().sorted { a, b in
                // Newest first; unreadable files last.
                switch (a, b) {
                case (.success(let x), .success(let y)): return x.createdAt > y.createdAt
                case (.success, .failure): return true
                default: return false
                }
            }
            if json {
                let journals = entries.compactMap { try? $0.get() }
                print(try JSONOutput.encode(["releases": journals.map(Summary.init)]))
                return
            }
            var rows = [["ID", "KIND", "IMAGE", "VERSION", "PHASE", "UPDATED"]]
            for entry in entries {
                switch entry {
                case .success(let j):
                    rows.append([j.id.rawValue, j.kind.rawValue, j.image, j.version?.description ?? "-", j.phase.rawValue, ISO8601DateFormatter().string(from: j.updatedAt)])
                case .failure(let error):
                    FileHandle.standardError.write(Data("warning: \(error)\n".utf8))
                }
            }
            print(rows.count == 1 ? "no releases in \(options.state.root.path)" : TextTable.render(rows), terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One release: platforms, tags before, publications, verification, history.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The release id.") var id: String
        @Flag(help: "Print the journal as JSON.") var json = false

        func run() throws {
            let journal = try JournalStore(state: options.state).load(ReleaseID(rawValue: id))
            if json {
                print(try JSONOutput.encode(journal))
                return
            }
            print(JournalText.render(journal), terminator: "")
        }
    }

    /// One line of `journal list --json`.
    struct Summary: Encodable {
        var id: String, kind: String, image: String, version: String?, phase: String, updatedAt: Date
        init(_ j: ReleaseJournal) {
            id = j.id.rawValue; kind = j.kind.rawValue; image = j.image; version = j.version?.description
            phase = j.phase.rawValue; updatedAt = j.updatedAt
        }
    }
}

/// The human-readable journal.
enum JournalText {
    static func render(_ j: ReleaseJournal) -> String {
        var out = "\(j.kind.rawValue) \(j.id): \(j.image) \(j.version?.description ?? "") — \(j.phase.rawValue)\n"
        if let of = j.rollbackOf { out += "rolls back \(of)\n" }
        out += "tags: \(j.tags.joined(separator: " ")) in \(j.registries.map(\.host).joined(separator: ", "))\n\nPlatforms\n"
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
