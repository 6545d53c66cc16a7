/// The audit: a reference field (every printable key is text there, `/` too), the tag side by
/// side in every configured registry (Enter on a row opens its history from the release
/// records), its findings (Enter runs the engine's repair of the selected one, or the status
/// line says why there is none), and the configured repository's tags to pick from (`/`
/// filters them). Tab goes field → findings → tags → registries; the field keeps the keyboard
/// after an audit, so typing never runs keys it cannot see.
struct AuditController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    private var input = ""
    /// The text the result shown was audited for: any other text in the field makes it stale.
    private var audited = ""
    /// Set when the field takes the keyboard back: the first key typed replaces its text.
    private var replacesInput = false
    private var pane = AuditPane.input
    private var finding = 0
    private var registry = 0

    static let rows = \ReleaseState.audit.candidateTags
    static func words(_ row: String) -> String { row }

    /// The arrows move in the pane shown: the findings or the tags.
    func rowCount(_ state: ReleaseState) -> Int { pane == .tags ? filtered(state).audit.candidateTags.count : 0 }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        if pane == .findings {
            finding = clamp(finding.addingReportingOverflow(delta).partialValue, 0, max(0, state.audit.findings.count - 1))
            return []
        }
        if pane == .registries {
            registry = clamp(registry.addingReportingOverflow(delta).partialValue, 0, max(0, state.audit.registries.count - 1))
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
            KeyBinding([.enter], help: "Audit the picked tag; on a registry, open the tag's history (release records); on a finding, open its repair (or say why there is none)",
                       footer: "open", disabledReason: noRepair) { c, x in
                if c.pane == .findings, let repair = x.state.audit.findings[safe: c.finding]?.repair { return [.repair(repair)] }
                if c.pane == .registries, let row = x.state.audit.registries[safe: c.registry], !row.reference.isEmpty { return [.history(reference: row.reference)] }
                guard c.pane == .tags, let tag = c.filtered(x.state).audit.candidateTags[safe: c.selection] else { return [] }
                // A picked tag names the configured image; the driver audits it in every configured registry.
                c.input = x.state.home.image.isEmpty ? tag : "\(x.state.home.image):\(tag)"
                return c.submit()
            },
            KeyBinding([.tab], help: "Switch pane (reference, findings, the repository's tags, registries)", footer: "pane") { c, x in
                c.focus(c.pane.next(hasRegistries: !x.state.audit.registries.isEmpty, hasFindings: !x.state.audit.findings.isEmpty))
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
            guard !input.trimmingCharacters(in: " ").isEmpty else { return [] }
            replacesInput = true
            return submit()
        }
        if replacesInput, key != .tab {
            replacesInput = false
            if case .char = key { input = "" }
            if key == .backspace { input = ""; return [] }
        }
        return input.edit(with: key) ? [] : nil
    }

    /// Audits the field's text; the findings selection starts again at the first.
    private mutating func submit() -> [ConsoleIntent] {
        audited = input.trimmingCharacters(in: " ")
        finding = 0
        registry = 0
        return [.audit(reference: audited)]
    }

    /// Gives `pane` the keyboard; the field's text is then selected, so typing replaces it.
    private mutating func focus(_ pane: AuditPane) {
        self.pane = pane
        replacesInput = pane == .input && !input.isEmpty
    }

    /// Opened from home: the cursor is in the field.
    mutating func reset() { focus(.input) }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        // A result the field did not ask for (a re-read after a repair, a jump) is named by
        // its own reference; an empty field marks nothing stale.
        let shownFor = audited.isEmpty ? state.audit.reference : audited
        let typed = input.trimmingCharacters(in: " ")
        let stale = !typed.isEmpty && !state.audit.reference.isEmpty && typed != shownFor
        AuditScreen(model: filtered(state).audit, input: input, inputSelected: replacesInput && pane == .input, pane: pane,
                    staleFor: stale ? shownFor : nil, selectedTag: selection, selectedFinding: finding, selectedRegistry: registry, theme: theme)
            .render(into: &grid, rect)
    }
}
