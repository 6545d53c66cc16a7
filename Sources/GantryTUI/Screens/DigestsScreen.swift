import GantryEngine

/// The digests screen: per platform the manifest, its attestation, and presence per registry.
public struct DigestsScreen: Sendable {
    public var model: DigestsViewModel
    public var selected: Int
    public var theme: Theme

    public init(model: DigestsViewModel, selected: Int, theme: Theme) {
        self.model = model
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let index = StyledLine([TextSpan("Index ", theme.heading), TextSpan(model.indexDigest ?? "not built yet", theme.style(model.indexDigest == nil ? .muted : .plain))])
        grid.put(index, x: rect.x, y: rect.y, limit: rect.width)
        let (_, body) = rect.splitTop(2)
        guard !model.rows.isEmpty else {
            grid.put("No platform has been built yet.", x: body.x, y: body.y, style: theme.style(.muted), limit: body.width)
            return
        }
        var columns = [
            TableColumn("Platform", width: 13, priority: 100),
            TableColumn("Manifest", width: 12, flexible: true, priority: 90),
            TableColumn("Attestation", width: 12, priority: 50),
        ]
        for (i, registry) in model.registries.enumerated() {
            columns.append(TableColumn(registry, width: min(16, max(4, DisplayWidth.of(registry))), priority: 80 - i))
        }
        let wide = body.width >= 100
        let rows: [[TableCell]] = model.rows.map { row in
            var cells: [TableCell] = [
                .plain(row.platform.description),
                .plain(row.manifestDigest.map { wide ? $0 : Digest.short($0) } ?? "—"),
                .text(row.attestationDigest.map(Digest.short) ?? "none", theme.style(row.attestationDigest == nil ? .warning : .muted)),
            ]
            for p in row.presence { cells.append(.text(p.symbol, theme.style(p.role, bold: p == .missing))) }
            return cells
        }
        Table(columns: columns, rows: rows, selected: selected).render(into: &grid, body, theme: theme)
    }
}
