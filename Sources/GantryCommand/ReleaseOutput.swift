import Foundation
import GantryEngine

/// Prints a flow's events for scripts and CI: one plain line per state change, or
/// with `--json` one JSON object per line (build events keep `gantry build --json`'s shape).
/// The first line names the release; the last says how it ended and what comes next.
struct ReleaseOutput: Sendable {
    var json: Bool

    /// The release id, what runs, with what, and where it is journaled.
    func started(_ flow: ReleaseFlow) async {
        let journal = await flow.journal
        if json {
            Self.json(JSONOutput.line(Started(
                id: flow.id.rawValue, kind: flow.kind.rawValue, image: flow.config.image, version: flow.version?.description,
                builder: flow.settings.builder.rawValue, publisher: flow.settings.publisher.rawValue,
                journal: flow.folder.journal.path)))
        } else {
            Self.text("\(flow.kind.rawValue) \(flow.id): \(flow.config.image) \(flow.version?.description ?? "") with \(flow.settings.builder.rawValue) and \(flow.settings.publisher.rawValue) (\(journal.phase.rawValue)); journal \(flow.folder.journal.path)")
        }
    }

    /// The tag journal's id, what moves where, and where it is journaled.
    func started(_ flow: TagFlow) async {
        let journal = await flow.journal
        let request = flow.request
        if json {
            Self.json(JSONOutput.line(TagStarted(
                id: flow.id.rawValue, source: request.source, tags: request.tags, registries: request.targets.map(\.host), journal: flow.folder.journal.path)))
        } else {
            Self.text("tag \(flow.id): \(request.source) as \(request.tags.joined(separator: " ")) in \(request.targets.map(\.host).joined(separator: ", ")) (\(journal.phase.rawValue)); journal \(flow.folder.journal.path)")
        }
    }

    private struct TagStarted: Encodable {
        var event = "flow"
        var kind = "tag"
        var id: String, source: String, tags: [String], registries: [String], journal: String
    }

    /// How the flow ended, and the next command.
    func finished(_ outcome: FlowOutcome) {
        let journal = outcome.journal
        if json {
            Self.json(JSONOutput.line(Finished(
                id: journal.id.rawValue, stage: outcome.stage.rawValue, phase: journal.phase.rawValue,
                succeeded: outcome.succeeded, refusal: outcome.refusal?.reason, next: outcome.next)))
            return
        }
        var lines: [String] = []
        switch outcome.stage {
        case .verified:
            lines.append("published and verified: \(journal.tags.joined(separator: " ")) in \(journal.registries.map(\.host).joined(separator: ", "))")
        case .failed:
            lines.append("not every registry verified")
        case .declined:
            lines.append("not confirmed: nothing was published")
        case .built where journal.kind == .build:
            lines.append("built: \(journal.platforms.filter(\.state.hasDigest).count) of \(journal.platforms.count) platforms")
        default:
            lines.append("nothing was published" + (outcome.refusal.map { ": \($0.reason)" } ?? ""))
        }
        lines.append("\(journal.kind.rawValue) \(journal.id): \(journal.phase.rawValue)" + (outcome.next.map { "; next: \($0)" } ?? ""))
        Self.text(lines.joined(separator: "\n"))
    }

    /// How a rollback ended.
    func finished(_ outcome: RollbackOutcome) {
        if json {
            Self.json(JSONOutput.line(RolledBack(
                id: outcome.journal?.id.rawValue, phase: outcome.journal?.phase.rawValue, succeeded: outcome.succeeded,
                refusal: outcome.refusal?.reason)))
        } else if let journal = outcome.journal {
            Self.text("rollback \(journal.id): \(journal.phase.rawValue)")
        } else {
            Self.text(outcome.refusal?.reason ?? "not confirmed; nothing changed")
        }
    }

    private struct RolledBack: Encodable {
        var event = "outcome"
        var id: String?, phase: String?, succeeded: Bool, refusal: String?
    }

    private struct Started: Encodable {
        var event = "flow"
        var id: String, kind: String, image: String, version: String?, builder: String, publisher: String, journal: String
    }

    private struct Finished: Encodable {
        var event = "outcome"
        var id: String, stage: String, phase: String, succeeded: Bool, refusal: String?, next: String?
    }

    func emit(_ event: ReleaseEvent) {
        if json {
            if let line = jsonLine(event) { Self.json(line) }
        } else if let line = plainLine(event) {
            Self.text(line)
        }
    }

    /// A plain line for anything (a summary or a table).
    func say(_ text: String) {
        if !json { Self.text(text) }
    }

    func plainLine(_ event: ReleaseEvent) -> String? {
        switch event {
        case .build(let build): return BuildProgressLine.text(for: build)
        case .phase(let phase): return "release \(phase.rawValue)"
        case .pending(let pending): return PendingTagSetText.render(pending)
        case .registry(let publication):
            var line = "\(publication.registry) \(publication.state.rawValue)"
            if let digest = publication.indexDigest { line += " \(digest)" }
            if let error = publication.error { line += ": \(error.message)" }
            // Said once, when the index is in: whether its release record went in before the tags.
            if publication.state == .published, let record = publication.record {
                line += "\n  release record " + (record.digest.map { Digest.short($0) + (record.signed ? " (index and record signed)" : "") } ?? "not written")
                    + (record.warning.map { ": warning: \($0)" } ?? "")
            }
            for check in publication.verification {
                line += "\n  \(check.ok ? "ok" : "WRONG") \(publication.registry) \(check.tag) → \(check.digest.map(Digest.short) ?? "missing")"
                    + (check.ok ? " [\(check.platforms.map(\.description).joined(separator: ", "))]" : ": \(check.problems.joined(separator: "; "))")
            }
            return line
        case .message(let message): return message
        case .copied(let report): return report.description
        case .activity: return nil  // the registries' lines say what was written; JSON has every write
        }
    }

    func jsonLine(_ event: ReleaseEvent) -> String? {
        switch event {
        case .build(let build): return JSONOutput.line(build)
        case .phase(let phase): return JSONOutput.line(["event": "phase", "phase": phase.rawValue])
        case .pending(let pending): return JSONOutput.line(Tagged(event: "pending", pending: pending))
        case .registry(let publication): return JSONOutput.line(Tagged(event: "registry", registry: publication))
        case .message(let message): return JSONOutput.line(["event": "message", "message": message])
        case .copied(let report): return JSONOutput.line(Tagged(event: "copied", copy: report))
        case .activity(let activity): return JSONOutput.line(Tagged(event: "activity", activity: activity))
        }
    }

    private struct Tagged: Encodable {
        var event: String
        var pending: PendingTagSet?
        var registry: ReleaseJournal.RegistryPublication?
        var copy: CopyReport?
        var activity: Activity?
    }

    /// A line for people: sanitised.
    static func text(_ line: String) {
        OutputStream.standardOutput.text(line)
    }

    /// A JSON line: JSON escapes control characters itself.
    static func json(_ line: String) {
        OutputStream.standardOutput.raw(line)
    }
}
