/// Unfinished releases: Enter resumes one (or says why it cannot), `i` inspects, `x` dismisses.
struct RecoverController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    /// `a`: every journal, each with its standing, not only those offered for resume.
    var showsAll = false

    static let rows = \ReleaseState.recover.releases
    static func words(_ row: RecoverViewModel.Entry) -> String { "\(row.id) \(row.image) \(row.version) \(row.startedAt) \(row.stage) \(row.note)" }

    /// `state` with the rows `a` chose: the offered journals, or every one.
    private func shown(_ state: ReleaseState) -> ReleaseState {
        guard showsAll else { return state }
        var state = state
        state.recover.releases = state.recover.everyJournal
        return state
    }

    func rowCount(_ state: ReleaseState) -> Int { filtered(shown(state)).recover.releases.count }

    func filterLine(_ state: ReleaseState) -> String? {
        filter.isActive ? filter.line(shown: rowCount(state), of: shown(state).recover.releases.count) : nil
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        let selected = filtered(shown(state)).recover.releases[safe: selection]
        let none = selected == nil ? "no unfinished release" : nil
        return Self.movement + [
            // The flow's answer, computed with the list: the console stays open and says why.
            KeyBinding([.enter], help: "Open the selected item", footer: "open", disabledReason: none ?? selected?.resumeRefusal) { _, x in
                guard let selected else { return [] }
                // A tag move goes on here, as the audit's tag repairs run.
                if let id = selected.tagMove { return [.repair(.resume(id))] }
                x.navigation.open(.release)
                return [.resume(id: selected.id)]
            },
            KeyBinding([.char("i")], help: "Inspect the selected release", footer: "inspect", disabledReason: none) { _, _ in
                selected.map { [.inspect(id: $0.id)] } ?? []
            },
            KeyBinding([.char("x")], help: "Dismiss the selected release (its journal says abandoned; nothing is deleted)", footer: "dismiss",
                       disabledReason: none) { _, _ in
                selected.map { [.dismiss(id: $0.id)] } ?? []
            },
            KeyBinding([.char("a")], help: showsAll
                        ? "Show only the releases offered for resume"
                        : "Show every journal, each marked finished, declined, quit before confirming, superseded or dismissed",
                       footer: showsAll ? "offered" : "all") { c, _ in
                c.showsAll.toggle()
                c.selection = 0
                return []
            },
            Self.filtering, SharedBindings.publishDigests(),
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        RecoverScreen(model: filtered(shown(state)).recover, selected: selection, showsAll: showsAll, theme: theme).render(into: &grid, rect)
    }
}
