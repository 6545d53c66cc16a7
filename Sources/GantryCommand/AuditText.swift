import Foundation
import GantryEngine

/// The human-readable audit output: a compact table per tag with its platforms, then findings.
/// Every line goes through `line` (and every table cell through `table`), so a value from
/// a registry shows its control characters spelled out and can never begin a line of its own.
enum AuditText {
    static func render(_ report: AuditReport) -> String {
        var rows: [[String]] = [["REFERENCE", "DIGEST", "TYPE", "VERSION", "REVISION", "CREATED"]]
        for result in report.results {
            rows.append([
                result.reference, result.digest.map(Digest.short) ?? "-", kind(result.mediaType),
                result.version ?? "-", result.revision.map { String($0.prefix(12)) } ?? "-", result.created ?? "-",
            ])
            for platform in result.platforms {
                let attestations = result.attestations.filter { $0.subject == platform.digest }
                let note = attestations.isEmpty ? "" : "attested by " + attestations.map { Digest.short($0.digest) }.joined(separator: ", ")
                rows.append(["  " + platform.platform, Digest.short(platform.digest), note, "", "", ""])
            }
            let platformDigests = Set(result.platforms.map(\.digest))
            for orphan in result.attestations where !platformDigests.contains(orphan.subject) {
                rows.append(["  attestation", Digest.short(orphan.digest), "of \(Digest.short(orphan.subject)) (not in the index)", "", "", ""])
            }
        }
        var text = table(rows)
        for result in report.results {
            text += details(result)
        }
        let findings = report.findings
        if !findings.isEmpty {
            text += "\n" + findings.map(findingLine).joined()
        }
        let unchecked = report.results.flatMap { result in result.unchecked.map { line("? not checked: \(result.reference): \($0)") } }
        if !unchecked.isEmpty { text += "\n" + unchecked.joined() }
        if report.isIncomplete {
            text += "\nincomplete: not everything could be checked, so this is no verdict; audit again once the registries answer\n"
        } else if findings.isEmpty {
            text += "\nno findings: every tag is whole and consistent\n"
        }
        for repair in report.repairs {
            text += "\n" + line("repair \(repair.references.joined(separator: ", ")) (\(repair.reason)):") + line("  \(repair.command)")
        }
        if !report.skippedJournals.isEmpty {
            text += "\n" + report.skippedJournals.map { line("not proposed: \($0.id): \($0.reason)") }.joined()
        }
        return text
    }

    static func render(_ listings: [TagListing]) -> String {
        var text = ""
        for listing in listings {
            var rows: [[String]] = [["DIGEST", "TYPE", "PLATFORMS", "TAGS"]]
            for group in listing.groups {
                rows.append([
                    Digest.short(group.digest), kind(group.mediaType),
                    group.platforms.isEmpty ? "-" : group.platforms.joined(separator: ","), group.tags.joined(separator: " "),
                ])
            }
            text += line("\(listing.registry)/\(listing.repository)") + table(rows)
            text += listing.groups.flatMap(\.findings).map(findingLine).joined() + "\n"
        }
        return text
    }

    /// Annotations, signatures, referrers and attestation contents of one result, when it has any.
    private static func details(_ result: AuditResult) -> String {
        var lines: [String] = []
        func subject(_ platform: String?) -> String { platform ?? (result.isIndex ? "index" : "manifest") }
        if let annotations = result.annotations, !annotations.isEmpty {
            lines.append("  annotations")
            lines += annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)" }
        }
        if let found = result.record {
            lines.append("  release record \(Digest.short(found.digest)): \(found.record.summary), \(found.signatureStatus)")
        }
        if !result.signatures.isEmpty {
            lines.append("  cosign signatures")
            lines += result.signatures.map { signature in
                let verdict = signature.verdict == .bad ? "bad: \(signature.problem ?? "")" : signature.verdict.rawValue
                let identity = signature.identity.map { ", for \($0)" } ?? ""
                return "    \(subject(signature.platform)) \(Digest.short(signature.subject)): \(verdict)\(signature.keyless ? " (keyless)" : "")\(identity)"
            }
        }
        if !result.referrers.isEmpty {
            lines.append("  referrers")
            let byType = Dictionary(grouping: result.referrers, by: \.artifactType)
            for type in byType.keys.sorted() {
                lines += byType[type]!.map { "    \(type): \(Digest.short($0.digest)) of \(subject($0.platform)) (\($0.source.rawValue))" }
            }
        }
        let summaries = result.attestations.flatMap { attestation in attestation.summaries.map { (attestation.platform, $0) } }
        if !summaries.isEmpty {
            lines.append("  attestations")
            lines += summaries.map { "    \($0.0 ?? "?"): \($0.1.line)" }
        }
        return lines.isEmpty ? "" : "\n" + line(result.reference) + lines.map(line).joined()
    }

    /// One line of output: `text` with its control characters spelled out, then a line break.
    private static func line(_ text: String) -> String { Sanitizer.visible(text) + "\n" }

    private static func findingLine(_ finding: Finding) -> String { line("✗ \(finding.kind.rawValue): \(finding.message)") }

    private static func kind(_ mediaType: String?) -> String {
        guard let mediaType else { return "-" }
        return MediaType.isIndex(mediaType) ? "index" : "manifest"
    }

    /// Left-aligned columns two spaces apart, trailing spaces trimmed; each cell on one line.
    private static func table(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(Sanitizer.visible) }
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell.padding(toLength: widths[column] + (column == row.count - 1 ? 0 : 2), withPad: " ", startingAt: 0)
            }
            return String(line.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }.joined()
    }
}
