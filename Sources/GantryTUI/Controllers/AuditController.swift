/// The audit: a reference field (every printable key is text there, `/` too), the tag side by
/// side in every configured registry with its findings (Enter runs the engine's repair of the
/// selected one, or the status line says why there is none), and the configured repository's
/// tags to pick from (`/` filters them). Tab goes field → findings → tags.
struct AuditController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    private var input = ""
    private var pane = AuditPane.input
    private var finding = 0

    static let rows = \ReleaseState.audit.candidateTags
    static func words(_ row: String) -> String { row }

    /// The arrows move in the pane shown: the findings or the tags.
    func rowCount(_ state: ReleaseState) -> Int { pane == .tags ? filtered(state).audit.candidateTags.count : 0 }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        if pane == .findings {
            finding = clamp(finding.addingReportingOverflow(delta).partialValue, 0, max(0, state.audit.findings.count - 1))
            return []
        }
        selection = clamp(selection.addingReportingOverflow(delta).partialValue, 0, max(0, rowCount(state) - 1))
        return []
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        // A finding without a repair: the engine's advice says why, as the disabled reason.
        let selectedFinding = state.audit.findings[safe: finding]
        let noRepair = pane == .findings ? selectedFinding.map { $0.repair == nil ? $0.advice : nil } ?? "no finding is selected" : nil
        return Self.movement + [
            KeyBinding([.enter], help: "Audit the picked tag; on a finding, open its repair (or say why there is none)", footer: "open",
                       disabledReason: noRepair) { c, x in
                if c.pane == .findings, let repair = x.state.audit.findings[safe: c.finding]?.repair { return [.repair(repair)] }
                guard c.pane == .tags, let tag = c.filtered(x.state).audit.candidateTags[safe: c.selection] else { return [] }
                // A picked tag names the configured image; the driver audits it in every configured registry.
                c.input = x.state.home.image.isEmpty ? tag : "\(x.state.home.image):\(tag)"
                (c.pane, c.finding) = (.findings, 0)
                return [.audit(reference: c.input)]
            },
            KeyBinding([.tab], help: "Switch pane (reference, findings, the repository's tags)", footer: "pane") { c, x in
                c.pane = c.pane.next(hasFindings: !x.state.audit.findings.isEmpty)
                return []
            },
            ListFilter.binding { (c: inout Self) in
                c.pane = .tags
                c.filter.begin()
            },
        ] + SharedBindings.closing()
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        guard pane == .input else { return handleFilter(key) }
        if key == .enter {
            let reference = input.trimmingCharacters(in: " ")
            guard !reference.isEmpty else { return [] }
            (pane, finding) = (.findings, 0)
            return [.audit(reference: reference)]
        }
        return input.edit(with: key) ? [] : nil
    }

    /// Opened from home: the cursor is in the field.
    mutating func reset() { pane = .input }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        AuditScreen(model: filtered(state).audit, input: input, pane: pane, selectedTag: selection, selectedFinding: finding, theme: theme)
            .render(into: &grid, rect)
    }
}
