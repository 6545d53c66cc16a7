/// Quitting while builds run: y cancels them and quits, n keeps building.
struct QuitPromptController: ScreenController {
    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
            KeyBinding([.char("y"), .enter], help: "Quit and cancel the running builds", footer: "quit") { _, x in
                x.navigation.closeOverlay()
                return [.cancelBuilds, .quit]
            },
            KeyBinding([.char("n"), .escape], help: "Keep building", footer: "keep building") { _, x in
                x.navigation.closeOverlay()
                return []
            },
        ]
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        QuitPrompt(running: state.release.rows.filter { $0.state.isActive }.count, theme: theme).render(into: &grid, rect)
    }
}
