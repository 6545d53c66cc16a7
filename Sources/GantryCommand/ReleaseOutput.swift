import Foundation
import GantryEngine

/// Prints release events for scripts and CI: one plain line per state change, or
/// with `--json` one JSON object per line (build events keep `gantry build --json`'s shape).
struct ReleaseOutput: Sendable {
    var json: Bool

    func emit(_ event: ReleaseEvent) {
        if json {
            if let line = jsonLine(event) { Self.write(line) }
        } else if let line = plainLine(event) {
            Self.write(line)
        }
    }

    /// A plain line for anything (a summary or a table).
    func say(_ text: String) {
        if !json { Self.write(text) }
    }

    private func plainLine(_ event: ReleaseEvent) -> String? {
        switch event {
        case .build(let build): return BuildProgressLine.text(for: build)
        case .phase(let phase): return "release \(phase.rawValue)"
        case .pending(let pending): return PendingTagSetText.render(pending)
        case .registry(let publication):
            var line = "\(publication.registry) \(publication.state.rawValue)"
            if let digest = publication.indexDigest { line += " \(digest)" }
            if let error = publication.error { line += ": \(error)" }
            for check in publication.verification {
                line += "\n  \(check.ok ? "ok" : "WRONG") \(publication.registry) \(check.tag) → \(check.digest.map(Digest.short) ?? "missing")"
                    + (check.ok ? " [\(check.platforms.map(\.description).joined(separator: ", "))]" : ": \(check.problems.joined(separator: "; "))")
            }
            return line
        case .message(let message): return message
        }
    }

    private func jsonLine(_ event: ReleaseEvent) -> String? {
        switch event {
        case .build(let build): return try? JSONOutput.encode(build, pretty: false)
        case .phase(let phase): return try? JSONOutput.encode(["event": "phase", "phase": phase.rawValue], pretty: false)
        case .pending(let pending): return try? JSONOutput.encode(Tagged(event: "pending", pending: pending), pretty: false)
        case .registry(let publication): return try? JSONOutput.encode(Tagged(event: "registry", registry: publication), pretty: false)
        case .message(let message): return try? JSONOutput.encode(["event": "message", "message": message], pretty: false)
        }
    }

    private struct Tagged: Encodable {
        var event: String
        var pending: PendingTagSet?
        var registry: ReleaseJournal.RegistryPublication?
    }

    static func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}
