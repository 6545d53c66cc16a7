/// Quitting while builds run: Enter cancels them and quits, Esc keeps building (Enter
/// confirms and Esc declines in every dialog).
struct QuitPromptController: ScreenController {
    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
            KeyBinding([.enter], help: "Quit and cancel the running builds", footer: "quit") { _, x in
                x.navigation.closeOverlay()
                return [.cancelBuilds, .quit]
            },
            KeyBinding([.escape], help: "Keep building", footer: "keep building") { _, x in
                x.navigation.closeOverlay()
                return []
            },
        ]
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        QuitPrompt(running: state.release.rows.filter { $0.state.isActive }.count, theme: theme).render(into: &grid, rect)
    }
}
