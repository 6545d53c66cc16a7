/// The audit: a reference field (every printable key is text there, `/` too), the result, and
/// the configured repository's tags to pick from (Tab; `/` filters them).
struct AuditController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    private var input = ""
    private var pane = AuditPane.input

    static let rows = \ReleaseState.audit.candidateTags
    static func words(_ row: String) -> String { row }

    /// The arrows move in the tag list only.
    func rowCount(_ state: ReleaseState) -> Int { pane == .tags ? filtered(state).audit.candidateTags.count : 0 }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [
            KeyBinding([.enter], help: "Open the selected item", footer: "open") { c, x in
                guard c.pane == .tags, let tag = c.filtered(x.state).audit.candidateTags[safe: c.selection] else { return [] }
                // A picked tag names the configured image; the driver audits it in every configured registry.
                c.input = x.state.home.image.isEmpty ? tag : "\(x.state.home.image):\(tag)"
                return [.audit(reference: c.input)]
            },
            KeyBinding([.tab], help: "Switch pane (matrix and log, input and list)", footer: "pane") { c, _ in
                c.pane = c.pane == .input ? .tags : .input
                return []
            },
            Self.filtering,
        ] + SharedBindings.closing()
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        guard pane == .input else { return handleFilter(key) }
        if key == .enter {
            let reference = input.trimmingCharacters(in: " ")
            guard !reference.isEmpty else { return [] }
            pane = .tags
            return [.audit(reference: reference)]
        }
        return input.edit(with: key) ? [] : nil
    }

    /// Opened from home: the cursor is in the field.
    mutating func reset() { pane = .input }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        AuditScreen(model: filtered(state).audit, input: input, pane: pane, selectedTag: selection, theme: theme).render(into: &grid, rect)
    }
}
