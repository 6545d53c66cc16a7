/// The `?` screen: the bindings of the screen it was opened from, with their disabled reasons.
struct HelpController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    /// The screen beneath and its bindings, as of the last key or frame.
    var screen = ScreenID.home
    var entries: [BindingDescription] = []

    func rowCount(_ state: ReleaseState) -> Int { shown.count }
    func unfilteredCount(_ state: ReleaseState) -> Int { entries.count }
    func filtered(_ state: ReleaseState) -> ReleaseState { state }
    private var shown: [BindingDescription] { filter.apply(entries) { "\($0.keyLabel) \($0.help)" } }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [Self.filtering, SharedBindings.back(), SharedBindings.quit()]
    }

    mutating func reset() { selection = 0; filter = ListFilter() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        HelpScreen(screen: screen, bindings: shown, scroll: selection, theme: theme).render(into: &grid, rect)
    }
}
