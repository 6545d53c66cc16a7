/// Home: release, audit, recover or the journal.
struct HomeController: ListController {
    var selection = 0

    func rowCount(_ state: ReleaseState) -> Int { HomeItem.allCases.count }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [
            KeyBinding([.enter], help: "Open the selected item", footer: "open") { c, x in
                switch HomeItem(rawValue: c.selection) ?? .release {
                case .release: x.navigation.open(.newRelease)
                case .audit: x.navigation.open(.audit)
                case .recover: x.navigation.open(.recover)
                case .journal: x.navigation.open(.journal)
                }
                return []
            },
            SharedBindings.commandLog(), SharedBindings.jump(), SharedBindings.help(), SharedBindings.quit(),
        ]
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        HomeScreen(model: state.home, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
