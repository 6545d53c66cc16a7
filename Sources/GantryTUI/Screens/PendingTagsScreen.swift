import GantryEngine

/// The pending tags screen: registry × tag, current → new, change and warnings.
public struct PendingTagsScreen: Sendable {
    public var model: PendingTagsViewModel
    public var selected: Int
    public var theme: Theme

    public init(model: PendingTagsViewModel, selected: Int, theme: Theme) {
        self.model = model
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        guard !model.rows.isEmpty else {
            grid.put("No pending tags yet: they appear once every platform is built.", x: rect.x, y: rect.y, style: theme.style(.muted), limit: rect.width)
            return
        }
        let summary = StyledLine([
            TextSpan("Version ", theme.heading), TextSpan(model.version + "  ", theme.style(.accent, bold: true)),
            TextSpan("+\(model.count(.new)) new  ", theme.style(.success)),
            TextSpan("→\(model.count(.move)) move  ", theme.style(.warning)),
            TextSpan("=\(model.count(.unchanged)) unchanged", theme.style(.muted)),
        ])
        grid.put(summary, x: rect.x, y: rect.y, limit: rect.width)
        let drifting = model.driftingTags
        if !drifting.isEmpty {
            let text = "≠ drift: " + drifting.sorted().joined(separator: ", ") + " differ between registries"
            grid.put(text, x: rect.x, y: rect.y + 1, style: theme.style(.warning, bold: true), limit: rect.width)
        }
        let (_, body) = rect.splitTop(drifting.isEmpty ? 2 : 3)
        let columns = [
            TableColumn("Registry", width: 14, flexible: true, priority: 90),
            TableColumn("Tag", width: 8, flexible: true, priority: 100),
            TableColumn("Now", width: 12, flexible: true, priority: 60),
            TableColumn("After", width: 12, flexible: true, priority: 70),
            TableColumn("Change", width: 11, priority: 95),
            TableColumn("Warnings", width: 16, flexible: true, priority: 80),
        ]
        let rows: [[TableCell]] = model.rows.map { row in
            var warnings = row.warnings
            if drifting.contains(row.tag), !warnings.contains(.drift) { warnings.append(.drift) }
            let warningText = warnings.map { "⚠ \($0)" }.joined(separator: "; ")
            return [
                .plain(row.registry),
                .text(row.tag, theme.style(.plain, bold: true)),
                .text(row.currentText, theme.style(.muted)),
                .plain(row.newText),
                .text(row.change.symbol + " " + row.change.rawValue, theme.style(row.change.role, bold: row.change == .move)),
                .text(warningText, theme.style(.danger, bold: true)),
            ]
        }
        Table(columns: columns, rows: rows, selected: selected).render(into: &grid, body, theme: theme)
    }
}
