import ArgumentParser
import Foundation
import GantryEngine

/// `gantry history REF`: what a tag pointed to, when, by whom, from the release records in
/// the registry (no journal needed).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show what a tag pointed to over time, from the release records in the registry.",
        discussion: """
            Walks back from the digest the tag points to now through each release record's \
            "previous digest": one line per digest, with the kind of operation that moved the \
            tag there, who, when, the version and revision, and the record's signature status. \
            It stops at the first digest without a record (moved outside Gantry). Needs no \
            local journal: it works from any machine that can read the registry.
            Exit status: 0 shown; 1 the tag does not exist; 2 errors (bad input, or records that \
            could not be read: the history then says where it stops).
            """
    )

    @Argument(help: ArgumentHelp("A tag, such as registry.example.com/acme/app:latest.", valueName: "ref"))
    var reference: String

    @Option(help: ArgumentHelp("A cosign public key (ECDSA P-256 PEM): verify each record's signature with it.", valueName: "path"))
    var key: String?

    @Option(help: ArgumentHelp("At most this many entries.", valueName: "n"))
    var limit = 50

    @Flag(help: "Print the timeline as JSON.")
    var json = false

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        guard (1...500).contains(limit) else { throw ValidationError("--limit \(limit): give 1 to 500 entries") }
        let reference = try ImageReference.parse(reference)
        guard reference.tag != nil else { throw ValidationError("\(reference): name a tag, such as \(reference.name):latest") }
        let signatureKey = try key.map { path throws(SignatureKeyError) in try SignatureKey.load(path: path) }
        let timeline = try await registry.withClient { client in
            try await TagHistory(client: client, key: signatureKey).timeline(of: reference, limit: limit)
        }
        if json {
            OutputStream.standardOutput.raw(try JSONOutput.encode(timeline))
        } else {
            OutputStream.standardOutput.text(Self.render(timeline))
        }
        for problem in timeline.problems { OutputStream.standardError.text("gantry history: \(problem)") }
        if timeline.current == nil { throw ExitCode(1) }
        if !timeline.problems.isEmpty { throw ExitCode(2) }
    }

    /// Every field from the registry is shown on its line alone (`Sanitizer.visible`): a
    /// record cannot start a line of its own.
    static func render(_ timeline: TagTimeline) -> String {
        let v = Sanitizer.visible
        guard timeline.current != nil else { return "\(timeline.reference) does not exist" }
        var lines = [v(timeline.reference)]
        for (i, entry) in timeline.entries.enumerated() {
            let marker = i == 0 ? "now " : "then"
            guard let found = entry.record else {
                lines.append("  \(marker) \(v(Digest.short(entry.digest)))  no release record (moved there outside Gantry, or by a Gantry without records)")
                continue
            }
            let record = found.record
            lines.append("  \(marker) \(v(Digest.short(entry.digest)))  \(v(record.summary))")
            var details = ["\(record.kind.rawValue) \(v(record.release))", v(found.signatureStatus)]
            if let tag = record.gitTag { details.append("git tag \(v(tag))") }
            if let run = record.author.run { details.append(v(run)) }
            lines.append("         " + details.joined(separator: " · "))
            lines.append("         before: " + (entry.previous.map { v(Digest.short($0)) } ?? "(created)"))
        }
        if timeline.truncated { lines.append("  … (more: --limit)") }
        return lines.joined(separator: "\n")
    }
}
