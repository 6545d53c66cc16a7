import ArgumentParser
import Foundation
import GantryEngine

/// Questions on the terminal (stderr, so stdout stays the release's output).
enum ConfirmPrompt {
    /// True when the user answered y or yes; the end of input or Ctrl-C answers no.
    static func ask(_ question: String, input: InputLines = .standardInput) async -> Bool {
        let answer = await read("\(question) [y/N] ", input: input)?.lowercased()
        return answer == "y" || answer == "yes"
    }

    /// The user's answer, trimmed; nil at the end of input or when the task is cancelled
    /// (Ctrl-C). Read off the concurrency pool (`InputLines`).
    static func read(_ prompt: String, input: InputLines = .standardInput) async -> String? {
        OutputStream.standardError.prompt(prompt)
        return await input.next()?.trimmingCharacters(in: .whitespaces)
    }

    /// Without a terminal only `--yes` can answer: refuses then, before anything runs.
    static func requireAnswerable(assumeYes: Bool, action: String) throws {
        guard assumeYes || isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("there is no terminal to confirm on; pass --yes to \(action)")
        }
    }
}

/// The pending tag set as a table: registry, tag, current → new, change, warnings.
enum PendingTagSetText {
    static func render(_ pending: PendingTagSet) -> String {
        // A family's set names each row's image (rows come grouped by image).
        let family = pending.rows.contains { $0.member != nil }
        var rows = [(family ? ["IMAGE"] : []) + ["REGISTRY", "TAG", "NOW", "", "AFTER", "CHANGE"]]
        var notes = (pending.warnings ?? []).map { "  ! \($0.message)" }
        for row in pending.rows {
            let now = row.current.map { target in target.digest.map(Digest.short) ?? "?" } ?? "(none)"
            let after = row.change == .held ? now : (row.new.digest.map(Digest.short) ?? "new index")
            rows.append((family ? [row.member ?? ""] : []) + [row.registry, row.tag, now, "→", after, row.change.rawValue])
            notes += row.warnings.map { "  ! \(row.member.map { "\($0) " } ?? "")\(row.registry) \(row.tag): \($0.message)" }
        }
        var text = "Pending tag set\n" + TextTable.render(rows)
        for target in pending.targets {
            text += "  \(target.member.map { "\($0) in " } ?? "")\(target.registry): index \(target.digest.map(Digest.short) ?? "(digest known after publishing)") of \(target.platforms.map(\.description).joined(separator: ", "))\n"
        }
        if !notes.isEmpty { text += "Warnings\n" + notes.joined(separator: "\n") + "\n" }
        return text
    }
}
