import GantryEngine

/// Which part of the audit screen has the keyboard.
public enum AuditPane: Hashable, Sendable {
    case input, registries, findings, tags

    /// Where Tab goes: the field, the findings (when there are any), the repository's tags,
    /// the registries' rows (when there are any; Enter there opens a tag's history), and round
    /// again. The findings come first: their repair is what an audit is most often for.
    func next(hasRegistries: Bool, hasFindings: Bool) -> AuditPane {
        switch self {
        case .input: hasFindings ? .findings : .tags
        case .findings: .tags
        case .tags: hasRegistries ? .registries : .input
        case .registries: .input
        }
    }
}

/// The audit screen: a reference field; the tag side by side in every registry audited
/// (digest, platforms, version); the findings, selectable, with the selected one's repair
/// (or why there is none); the platforms and the tags sharing the digest; below, tags of
/// the configured repository to pick from.
public struct AuditScreen: Sendable {
    public var model: AuditViewModel
    public var input: String
    /// The field's text is selected: the next key typed replaces it.
    public var inputSelected: Bool
    public var pane: AuditPane
    /// The text the result shown was audited for, when the field now says something else.
    public var staleFor: String?
    public var selectedTag: Int
    public var selectedFinding: Int
    public var selectedRegistry: Int
    public var theme: Theme

    public init(model: AuditViewModel, input: String, inputSelected: Bool = false, pane: AuditPane, staleFor: String? = nil,
                selectedTag: Int, selectedFinding: Int, selectedRegistry: Int = 0, theme: Theme) {
        self.selectedRegistry = selectedRegistry
        self.model = model
        self.input = input
        self.inputSelected = inputSelected
        self.pane = pane
        self.staleFor = staleFor
        self.selectedTag = selectedTag
        self.selectedFinding = selectedFinding
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        var y = rect.y
        // The focus is visible: `▶` and a bold label while the field has the keyboard.
        let focused = pane == .input
        let label = focused ? "▶ Reference " : "  Reference "
        grid.put(label, x: rect.x, y: y, style: focused ? theme.style(.accent, bold: true) : theme.heading)
        let fieldWidth = rect.width - DisplayWidth.of(label)
        let fieldX = rect.x + DisplayWidth.of(label)
        let shown = TextFit.truncateLeading(input + (focused && !inputSelected ? "▏" : ""), to: fieldWidth)
        grid.put(TextFit.pad(shown, to: fieldWidth), x: fieldX, y: y, style: CellStyle(dim: !focused, underline: true), limit: fieldWidth)
        if inputSelected { grid.restyle(Rect(x: fieldX, y: y, width: min(fieldWidth, DisplayWidth.of(shown)), height: 1)) { $0.reverse = true } }
        y += 1
        if let staleFor, !model.isLoading, !model.reference.isEmpty {
            // Never a verdict beside a reference it was not computed for: the old result is greyed out.
            let top = y
            grid.put(StyledLine([TextSpan("Stale: for \(staleFor)", theme.style(.warning, bold: true)),
                                 TextSpan(" (Enter audits the reference typed)", theme.style(.muted))]), x: rect.x, y: y, limit: rect.width)
            renderResult(into: &grid, Rect(x: rect.x, y: y + 1, width: rect.width, height: max(0, rect.maxY - y - 1)))
            let muted = theme.style(.muted)  // plain in monochrome
            grid.restyle(Rect(x: rect.x, y: top + 1, width: rect.width, height: max(0, rect.maxY - top - 1))) {
                ($0.role, $0.bold, $0.dim) = (muted.role, false, true)
            }
            return
        }
        renderResult(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: max(0, rect.maxY - y)))
    }

    /// The audit's result below the field, or that it is running.
    private func renderResult(into grid: inout CellGrid, _ rect: Rect) {
        var y = rect.y
        if model.isLoading {
            grid.put("auditing \(model.reference)…", x: rect.x, y: y + 1, style: theme.style(.muted), limit: rect.width)
            return
        }
        // The tag list keeps a header and two rows below whatever the audit shows.
        let reserve = model.candidateTags.isEmpty ? 0 : 4
        if !model.reference.isEmpty {
            grid.put(StyledLine([TextSpan("Audited ", theme.heading), TextSpan(model.reference)]), x: rect.x, y: y, limit: rect.width)
            y += 1
            y += renderRegistries(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: max(0, rect.maxY - y - reserve)))
            // The registries' pane with a history read: the history takes the findings' place.
            if pane == .registries, let history = model.history, model.registries[safe: selectedRegistry]?.reference == history.reference {
                TagHistoryPane(model: history, theme: theme).render(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: max(0, rect.maxY - y)))
                return
            }
            y += renderFindings(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: max(0, rect.maxY - y - reserve)))
            // The first registry's platforms in detail, when they fit whole beside the tag list.
            if model.platforms.count + 1 <= rect.maxY - y - reserve - 1 {
                y += renderPlatforms(into: &grid, Rect(x: rect.x, y: y, width: rect.width, height: model.platforms.count + 1))
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

    /// One row per registry (per image and registry in a family): what the tag points to
    /// there, the image named on its group's first row. Returns the lines used.
    private func renderRegistries(into grid: inout CellGrid, _ rect: Rect) -> Int {
        let wide = rect.width >= 150
        // A family's audit names each row's image and tag; one tag of one image has neither column.
        let spansImages = model.registries.contains { $0.image != nil }, spansTags = model.registries.contains { $0.tag != nil }
        let recorded = model.registries.contains { $0.record != nil }
        let rows: [[TableCell]] = model.registries.indices.map { i in
            let r = model.registries[i]
            let state: TableCell = r.problems == 0 ? .text("✓", theme.style(.success)) : .text("✗ \(r.problems)", theme.style(.danger, bold: true))
            let image = i > 0 && model.registries[i - 1].image == r.image ? "" : r.image ?? ""
            var cells: [TableCell] = [state]
            if spansImages { cells.append(.text(image, theme.heading)) }
            cells.append(.plain(r.registry))
            if spansTags { cells.append(.text(r.tag ?? "", theme.style(.plain, bold: true))) }
            return cells + [
                    .text(r.digest.map { wide ? $0 : Digest.short($0) } ?? "missing", r.digest == nil ? theme.style(.danger) : .plain),
                    .plain(r.platforms.isEmpty ? "—" : r.platforms.joined(separator: ", ")),
                    .text(r.version ?? "—", theme.style(.accent, bold: true))]
                + (recorded ? [.text(r.record ?? "no release record", theme.style(.muted))] : [])
        }
        let height = min(rows.count + 1, rect.height)
        var columns = [TableColumn("", width: 3, priority: 70)]
        if spansImages { columns.append(TableColumn("Image", width: 10, priority: 95)) }
        columns.append(TableColumn("Registry", width: 15, flexible: true, priority: 100))
        if spansTags { columns.append(TableColumn("Tag", width: 8, priority: 96)) }
        columns += [
            TableColumn("Digest", width: wide ? 71 : 12, priority: 90),
            TableColumn("Platforms", width: 12, flexible: true, priority: 80),
            TableColumn("Version", width: 8, priority: 85),
        ]
        if recorded { columns.append(TableColumn("Last record (↵ history)", width: 12, flexible: true, priority: 60)) }
        Table(columns: columns, rows: rows, selected: pane == .registries ? min(selectedRegistry, rows.count - 1) : nil).render(into: &grid, Rect(x: rect.x, y: rect.y, width: rect.width, height: height), theme: theme)
        return height
    }

    /// The findings, selectable, and the selected one's repair. Returns the lines used.
    private func renderFindings(into grid: inout CellGrid, _ rect: Rect) -> Int {
        guard !model.findings.isEmpty else {
            guard rect.height > 0 else { return 0 }
            grid.put("✓ no findings", x: rect.x, y: rect.y, style: theme.style(.success, bold: true), limit: rect.width)
            return 1
        }
        let rows: [[TableCell]] = model.findings.map { finding in
            let (symbol, role): (String, ColorRole) = switch finding.severity {
            case .info: ("ℹ", .info)
            case .warning: ("⚠", .warning)
            case .error: ("✗", .danger)
            }
            let style = theme.style(role, bold: finding.severity != .info)
            return [.text(symbol + " " + finding.kind, style), .plain(finding.message), .text(finding.repair == nil ? "" : "↵ repair", theme.style(.accent))]
        }
        let selected = min(selectedFinding, model.findings.count - 1)
        let height = min(rows.count + 1, max(0, rect.height - 1))
        Table(columns: [
            TableColumn("Finding", width: 18, priority: 90),
            TableColumn("", width: 20, flexible: true, priority: 100),
            TableColumn("", width: 8, priority: 50),
        ], rows: rows, selected: pane == .findings ? selected : nil)
            .render(into: &grid, Rect(x: rect.x, y: rect.y, width: rect.width, height: height), theme: theme)
        guard pane == .findings, height < rect.height else { return height }
        let finding = model.findings[selected]
        // Wrapped, not cut: the repair is the whole command `gantry audit` prints.
        let lines = TextFit.wrap(finding.advice, width: max(1, rect.width - 2)).prefix(rect.height - height)
        for (i, line) in lines.enumerated() {
            let lead = i == 0 && finding.repair != nil ? "↵ " : "  "
            let advice = StyledLine([TextSpan(lead, theme.style(.accent, bold: true)), TextSpan(line, theme.style(finding.repair == nil ? .muted : .accent))])
            grid.put(advice, x: rect.x, y: rect.y + height + i, limit: rect.width)
        }
        return height + lines.count
    }

    /// The first registry's platforms: digest, attestation, size. Returns the lines used.
    private func renderPlatforms(into grid: inout CellGrid, _ rect: Rect) -> Int {
        let rows: [[TableCell]] = model.platforms.map { p in
            [.plain(p.platform), .plain(rect.width >= 100 ? p.digest : Digest.short(p.digest)),
             .text(p.attestation.map(Digest.short) ?? "none", theme.style(p.attestation == nil ? .warning : .muted)),
             .plain(p.size.map(formatBytes) ?? "")]
        }
        Table(columns: [
            TableColumn("Platform", width: 13, priority: 100),
            TableColumn("Digest", width: 12, flexible: true, priority: 90),
            TableColumn("Attestation", width: 12, priority: 80),
            TableColumn("Size", width: 8, priority: 10, alignRight: true),
        ], rows: rows).render(into: &grid, rect, theme: theme)
        return rect.height
    }
}
