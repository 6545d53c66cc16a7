import ArgumentParser
import Foundation
import GantryEngine

/// Questions on the terminal (stderr, so stdout stays the release's output).
enum ConfirmPrompt {
    /// True when the user answered y or yes.
    static func ask(_ question: String) -> Bool {
        let answer = read("\(question) [y/N] ")?.lowercased()
        return answer == "y" || answer == "yes"
    }

    /// The user's answer, trimmed; nil at the end of input or when the task is cancelled
    /// (Ctrl-C): standard input is polled, so a signal is never stuck behind a blocking read.
    static func read(_ prompt: String) -> String? {
        OutputStream.standardError.prompt(prompt)
        var line: [UInt8] = []
        while !Task.isCancelled {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 && errno != EINTR { return nil }
            guard ready > 0 else { continue }
            var byte: UInt8 = 0
            guard Glibc.read(STDIN_FILENO, &byte, 1) == 1 else {
                return line.isEmpty ? nil : String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            line.append(byte)
        }
        return nil
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
        var rows = [["REGISTRY", "TAG", "NOW", "", "AFTER", "CHANGE"]]
        var notes = (pending.warnings ?? []).map { "  ! \($0.message)" }
        for row in pending.rows {
            let now = row.current.map { target in target.digest.map(Digest.short) ?? "?" } ?? "(none)"
            let after = row.change == .held ? now : (row.new.digest.map(Digest.short) ?? "new index")
            rows.append([row.registry, row.tag, now, "→", after, row.change.rawValue])
            notes += row.warnings.map { "  ! \(row.registry) \(row.tag): \($0.message)" }
        }
        var text = "Pending tag set\n" + TextTable.render(rows)
        for target in pending.targets {
            text += "  \(target.registry): index \(target.digest.map(Digest.short) ?? "(digest known after publishing)") of \(target.platforms.map(\.description).joined(separator: ", "))\n"
        }
        if !notes.isEmpty { text += "Warnings\n" + notes.joined(separator: "\n") + "\n" }
        return text
    }
}
