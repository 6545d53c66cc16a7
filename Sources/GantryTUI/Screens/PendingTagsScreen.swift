import GantryEngine

/// The pending tags screen: registry × tag, current → new, change and warnings; once
/// published, each tag's read-back instead of the change it was going to make. A family's
/// rows are grouped by image: the image is named on the first row of its group.
public struct PendingTagsScreen: Sendable {
    public var model: PendingTagsViewModel
    public var selected: Int
    public var theme: Theme
    /// The publish screen's read-back of each tag written so far (none before publishing).
    public var readBack: [PublishViewModel.VerificationRow]

    public init(model: PendingTagsViewModel, selected: Int, theme: Theme, readBack: [PublishViewModel.VerificationRow] = []) {
        self.model = model
        self.selected = selected
        self.theme = theme
        self.readBack = readBack
    }

    /// The read-back of `row`: of its registry and tag, for the digest it was to get (an
    /// index imagetools has not written yet has none: any); nil before publishing.
    private func readBack(of row: PendingTagRow) -> PublishViewModel.VerificationRow.Result? {
        readBack.last { $0.image == row.image && $0.registry == row.registry && $0.tag == row.tag && (row.newDigest == nil || row.newDigest == $0.expectedDigest) }?.result
    }

    /// The change column of a row: what publishing will do, or what its read-back found.
    private func change(_ row: PendingTagRow, readBack: PublishViewModel.VerificationRow.Result?) -> TableCell {
        switch readBack {
        case .verified?: .text("✓ published", theme.style(.success, bold: true))
        case .mismatch?, .missing?, .error?: .text("✗ not as sent", theme.style(.danger, bold: true))
        case .pending?, nil: .text(row.change.symbol + " " + row.change.rawValue, theme.style(row.change.role, bold: row.change == .move))
        }
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
        let results = model.rows.map { readBack(of: $0) }
        let verified = results.filter { $0 == .verified }.count
        let published = results.allSatisfy { $0 == nil } ? [] : [TextSpan("  ✓ \(verified) of \(model.rows.count) published", theme.style(.success, bold: true))]
        grid.put(StyledLine(summary.spans + published), x: rect.x, y: rect.y, limit: rect.width)
        let drifting = model.driftingTags
        // A family's set has a line per image too: the rows come in the family's order, one group each.
        if !drifting.isEmpty {
            let text = "≠ drift: " + drifting.sorted().joined(separator: ", ") + " differ between registries"
            grid.put(text, x: rect.x, y: rect.y + 1, style: theme.style(.warning, bold: true), limit: rect.width)
        }
        let (_, body) = rect.splitTop(drifting.isEmpty ? 2 : 3)
        let columns = [
            TableColumn("Image", width: 10, flexible: true, priority: 98),
            TableColumn("Registry", width: 14, flexible: true, priority: 90),
            TableColumn("Tag", width: 8, flexible: true, priority: 100),
            TableColumn("Now", width: 12, flexible: true, priority: 60),
            TableColumn("After", width: 12, flexible: true, priority: 70),
            TableColumn("Change", width: 11, priority: 95),
            TableColumn("Warnings", width: 16, flexible: true, priority: 80),
        ]
        let rows: [[TableCell]] = zip(model.rows.indices, results).map { i, result in
            let row = model.rows[i]
            var warnings = row.warnings
            if drifting.contains(row.imageTag), !warnings.contains(.drift) { warnings.append(.drift) }
            let warningText = warnings.map { "⚠ \($0)" }.joined(separator: "; ")
            // The image once, on the first row of its group (an empty column takes no room).
            let firstOfImage = i == 0 || model.rows[i - 1].image != row.image
            return [
                .text(firstOfImage ? row.image ?? "" : "", theme.heading),
                .plain(row.registry),
                .text(row.tag, theme.style(.plain, bold: true)),
                .text(row.currentText, theme.style(.muted)),
                .plain(row.newText),
                change(row, readBack: result),
                .text(warningText, theme.style(.danger, bold: true)),
            ]
        }
        Table(columns: columns, rows: rows, selected: selected).render(into: &grid, body, theme: theme)
    }
}
