/// The `?` screen: the bindings of the screen it was opened from, with their disabled reasons.
struct HelpController: ListController {
    var selection = 0
    /// The screen beneath and its bindings, as of the last key or frame.
    var screen = ScreenID.home
    var entries: [BindingDescription] = []

    func rowCount(_ state: ReleaseState) -> Int { entries.count }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [SharedBindings.back(), SharedBindings.quit()]
    }

    mutating func reset() { selection = 0 }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        HelpScreen(screen: screen, bindings: entries, scroll: selection, theme: theme).render(into: &grid, rect)
    }
}
