/// Home → Journal: every journal, newest first; Enter opens its history, `b` rolls the
/// selected release back (the rollback flow says when it cannot).
struct JournalController: ScreenController {
    private(set) var browser = JournalBrowser()

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        SharedBindings.movement { c, delta, state in c.browser.move(by: delta, on: .journal, model: state.journal) } + [
            KeyBinding([.enter], help: "Show the selected journal's history", footer: "history",
                       disabledReason: browser.selected(in: state.journal) == nil ? "no journal is selected" : nil) { _, x in
                x.navigation.open(.journalDetail)
                return []
            },
            JournalController.rollback(browser, state),
        ] + SharedBindings.closing()
    }

    /// `b` on the list and in the history pane.
    static func rollback<C>(_ browser: JournalBrowser, _ state: ReleaseState) -> KeyBinding<C> {
        KeyBinding([.char("b")], help: "Roll back the selected release: preview the tags going back, then confirm", footer: "rollback",
                   disabledReason: browser.rollbackRefusal(model: state.journal)) { _, _ in
            browser.selected(in: state.journal).map { [.rollback(id: $0.id)] } ?? []
        }
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        browser.render(.journal, model: state.journal, into: &grid, rect, theme: theme)
    }
}

/// One journal's history, scrollable; `b` rolls it back from here too.
struct JournalDetailController: ScreenController {
    /// The list's selection, handed over when the pane opens.
    var browser = JournalBrowser()

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        SharedBindings.movement { c, delta, state in c.browser.move(by: delta, on: .journalDetail, model: state.journal) }
            + [JournalController.rollback(browser, state)] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        browser.render(.journalDetail, model: state.journal, into: &grid, rect, theme: theme)
    }
}
