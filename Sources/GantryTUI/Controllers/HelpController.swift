/// The `?` screen: the bindings of the screen it was opened from, with their disabled reasons.
struct HelpController: ListController {
    var selection = 0
    var filter = ListFilter()
    /// The screen beneath and its bindings, as of the last key or frame.
    var screen = ScreenID.home
    var entries: [BindingDescription] = []

    func rowCount(_ state: ReleaseState) -> Int { shown.count }
    private var shown: [BindingDescription] { filter.apply(entries) { "\($0.keyLabel) \($0.help)" } }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [ListFilter.binding { $0.filter.begin() }, SharedBindings.back(), SharedBindings.quit()]
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        filter.handle(key, selection: &selection) ? [] : nil
    }

    func filterLine(_ state: ReleaseState) -> String? { filter.isActive ? filter.line(shown: shown.count, of: entries.count) : nil }

    mutating func reset() { selection = 0; filter = ListFilter() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        HelpScreen(screen: screen, bindings: shown, scroll: selection, theme: theme).render(into: &grid, rect)
    }
}
