import GantryEngine

/// Which part of the audit screen has the keyboard.
public enum AuditPane: Hashable, Sendable { case input, tags }

/// The audit screen: a reference field, then platforms, digests, attestations, findings and
/// the tags that share the digest; below, tags of the configured repository to pick from.
public struct AuditScreen: Sendable {
    public var model: AuditViewModel
    public var input: String
    public var pane: AuditPane
    public var selectedTag: Int
    public var theme: Theme

    public init(model: AuditViewModel, input: String, pane: AuditPane, selectedTag: Int, theme: Theme) {
        self.model = model
        self.input = input
        self.pane = pane
        self.selectedTag = selectedTag
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        var y = rect.y
        let label = "Reference "
        grid.put(label, x: rect.x, y: y, style: theme.heading)
        let fieldWidth = rect.width - DisplayWidth.of(label)
        let shown = TextFit.truncateLeading(input + (pane == .input ? "▏" : ""), to: fieldWidth)
        grid.put(TextFit.pad(shown, to: fieldWidth), x: rect.x + DisplayWidth.of(label), y: y,
                 style: CellStyle(dim: pane != .input, underline: true), limit: fieldWidth)
        y += 1
        if model.isLoading {
            grid.put("auditing \(model.reference)…", x: rect.x, y: y + 1, style: theme.style(.muted), limit: rect.width)
            return
        }
        if !model.reference.isEmpty {
            grid.put(StyledLine([TextSpan("Audited ", theme.heading), TextSpan(model.reference)]), x: rect.x, y: y, limit: rect.width)
            grid.put(StyledLine([TextSpan("Index ", theme.heading), TextSpan(model.indexDigest ?? "—")]), x: rect.x, y: y + 1, limit: rect.width)
            y += 2
            let rows: [[TableCell]] = model.platforms.map { p in
                [.plain(p.platform), .plain(rect.width >= 100 ? p.digest : Digest.short(p.digest)),
                 .text(p.attestation.map(Digest.short) ?? "none", theme.style(p.attestation == nil ? .warning : .muted)),
                 .plain(p.size.map(formatBytes) ?? "")]
            }
            let tableHeight = min(rows.count + 1, max(0, rect.maxY - y - 3))
            Table(columns: [
                TableColumn("Platform", width: 13, priority: 100),
                TableColumn("Digest", width: 12, flexible: true, priority: 90),
                TableColumn("Attestation", width: 12, priority: 80),
                TableColumn("Size", width: 8, priority: 10, alignRight: true),
            ], rows: rows).render(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: tableHeight), theme: theme)
            y += tableHeight
            for finding in model.findings where y < rect.maxY - 2 {
                let (symbol, role): (String, ColorRole) = switch finding.severity {
                case .info: ("ℹ", .info)
                case .warning: ("⚠", .warning)
                case .error: ("✗", .danger)
                }
                grid.put(symbol + " " + finding.message, x: rect.x, y: y, style: theme.style(role, bold: finding.severity != .info), limit: rect.width)
                y += 1
            }
            let shared = model.sharedTags.isEmpty ? "no other tag" : model.sharedTags.joined(separator: ", ")
            if y < rect.maxY {
                grid.put(StyledLine([TextSpan("Same digest ", theme.heading), TextSpan(shared)]), x: rect.x, y: y, limit: rect.width)
                y += 1
            }
        }
        let listRect = Rect(x: rect.x, y: y + 1, width: rect.width, height: rect.maxY - y - 1)
        guard !model.candidateTags.isEmpty, listRect.height >= 2 else { return }
        Table(columns: [TableColumn("Tags of the repository (Tab, then Enter to audit)", width: 10, flexible: true)],
              rows: model.candidateTags.map { [.plain($0)] }, selected: pane == .tags ? selectedTag : nil)
            .render(into: &grid, listRect, theme: theme)
    }
}
