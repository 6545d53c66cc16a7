import GantryEngine

/// The audit's history pane: one row per digest the tag pointed to, newest first, with the
/// record that moved it there (what, who, when, signature) and the digest before.
struct TagHistoryPane: Sendable {
    var model: TagHistoryViewModel
    var theme: Theme

    func render(into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height > 0 else { return }
        grid.put(StyledLine([TextSpan("History of ", theme.heading), TextSpan(model.reference), TextSpan("  (from its release records; Tab leaves)", theme.style(.muted))]),
                 x: rect.x, y: rect.y, limit: rect.width)
        if model.isLoading {
            grid.put("reading the release records…", x: rect.x, y: rect.y + 1, style: theme.style(.muted), limit: rect.width)
            return
        }
        let wide = rect.width >= 150
        let rows: [[TableCell]] = model.entries.enumerated().map { i, entry in
            [.text(i == 0 ? "now" : "then", theme.style(.plain, bold: i == 0)),
             .plain(wide ? entry.digest : Digest.short(entry.digest)),
             .text(entry.summary ?? "no release record (moved there outside Gantry)", entry.summary == nil ? theme.style(.warning) : .plain),
             .text(entry.signature ?? "", theme.style(entry.signature?.hasPrefix("bad") == true ? .danger : entry.signature == "signed (verified)" ? .success : .muted)),
             .plain(entry.previous.map { $0.hasPrefix("sha256:") && !wide ? Digest.short($0) : $0 } ?? "—")]
        }
        let problems = model.problems.prefix(max(0, rect.height - 2))
        let height = min(rows.count + 1, max(0, rect.height - 1 - problems.count))
        Table(columns: [
            TableColumn("", width: 4, priority: 70),
            TableColumn("Digest", width: wide ? 71 : 12, priority: 90),
            TableColumn("Record", width: 20, flexible: true, priority: 100),
            TableColumn("Signature", width: 17, priority: 80),
            TableColumn("Before", width: wide ? 71 : 12, priority: 85),
        ], rows: rows).render(into: &grid, Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: height), theme: theme)
        for (i, problem) in problems.enumerated() {
            grid.put("⚠ " + problem, x: rect.x, y: rect.y + 1 + height + i, style: theme.style(.warning), limit: rect.width)
        }
    }
}
