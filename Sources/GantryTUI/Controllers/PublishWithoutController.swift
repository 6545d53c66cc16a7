/// Publishing without the failed or cancelled platforms, which the dialog names. As every
/// dialog: Enter confirms, Esc declines.
struct PublishWithoutController: ScreenController {
    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
            KeyBinding([.enter], help: "Publish without the platforms named", footer: "publish without") { _, x in
                x.navigation.closeOverlay()
                return [.publishWithout(x.state.availability.missing)]
            },
            KeyBinding([.escape], help: "Keep them: nothing is published", footer: "keep") { _, x in
                x.navigation.closeOverlay()
                return []
            },
        ]
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PublishWithoutPrompt(platforms: state.availability.missing, theme: theme).render(into: &grid, rect)
    }
}
