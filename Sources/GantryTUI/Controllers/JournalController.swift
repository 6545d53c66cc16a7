/// Home → Journal: every journal, newest first; Enter opens its history, `b` rolls the
/// selected release back (the rollback flow says when it cannot).
struct JournalController: ScreenController {
    private(set) var browser = JournalBrowser()
    private var filter = ListFilter()

    /// The journals the `/` filter leaves (kind, image, state, version, time, id).
    func shown(_ state: ReleaseState) -> JournalViewModel {
        JournalViewModel(entries: filter.apply(state.journal.entries) { "\($0.kind) \($0.image) \($0.stateText) \($0.version) \($0.startedAt) \($0.id)" })
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        var state = state
        state.journal = shown(state)
        return SharedBindings.movement { c, delta, state in c.browser.move(by: delta, on: .journal, model: c.shown(state)) } + [
            KeyBinding([.enter], help: "Show the selected journal's history", footer: "history",
                       disabledReason: browser.selected(in: state.journal) == nil ? "no journal is selected" : nil) { _, x in
                x.navigation.open(.journalDetail)
                return []
            },
            JournalController.rollback(browser, state),
            ListFilter.binding { $0.filter.begin() }, SharedBindings.publishDigests(),
        ] + SharedBindings.closing()
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        var row = 0
        guard filter.handle(key, selection: &row) else { return nil }
        browser = JournalBrowser()  // the selection starts again at the first journal shown
        return []
    }

    func filterLine(_ state: ReleaseState) -> String? {
        filter.isActive ? filter.line(shown: shown(state).entries.count, of: state.journal.entries.count) : nil
    }

    /// `b` on the list and in the history pane.
    static func rollback<C>(_ browser: JournalBrowser, _ state: ReleaseState) -> KeyBinding<C> {
        KeyBinding([.char("b")], help: "Roll back the selected release: preview the tags going back, then confirm", footer: "rollback",
                   disabledReason: browser.rollbackRefusal(model: state.journal)) { _, _ in
            browser.selected(in: state.journal).map { [.rollback(id: $0.id)] } ?? []
        }
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        browser.render(.journal, model: shown(state), into: &grid, rect, theme: theme)
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
