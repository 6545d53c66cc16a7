/// Unfinished releases: Enter resumes one (or says why it cannot), `i` inspects, `x` dismisses.
struct RecoverController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    static let rows = \ReleaseState.recover.releases
    static func words(_ row: RecoverViewModel.Entry) -> String { "\(row.id) \(row.image) \(row.version) \(row.startedAt) \(row.stage)" }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        let selected = filtered(state).recover.releases[safe: selection]
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
            Self.filtering, SharedBindings.publishDigests(),
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        RecoverScreen(model: filtered(state).recover, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
