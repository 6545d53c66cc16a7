/// The confirmation before publishing or rolling back: Enter goes ahead, after the version is
/// typed when existing tags move; Esc declines (the engine records that nothing moved).
struct ConfirmController: ScreenController {
    private var typed = ""
    private var error: String?
    /// Summary lines scrolled past, and the most there is to scroll at the last render.
    private var scroll = 0
    private var scrollEnd = 0

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        // Arrows only: letters go to the version field.
        [([.up], "Scroll the summary up", -1), ([.down], "Scroll the summary down", 1),
         ([.pageUp], "Scroll the summary a page up", -10), ([.pageDown], "Scroll the summary a page down", 10)]
            .map { (keys: [Key], help: String, delta: Int) in
                KeyBinding(keys, help: help) { c, _ in
                    c.scroll = clamp(c.scroll + delta, 0, c.scrollEnd)
                    return []
                }
            } + [
            KeyBinding([.enter], help: "Publish, or roll back (after typing the version when tags move)", footer: "confirm") { c, x in c.confirm(&x) },
            SharedBindings.back { _, x in
                x.status = "Publishing cancelled: nothing was published."
                x.navigation.closeOverlay()
                return [.decline]
            },
        ]
    }

    private mutating func confirm(_ context: inout ConsoleContext) -> [ConsoleIntent] {
        let pending = context.state.pendingTags
        if pending.requiresTypedVersion, typed != pending.version {
            error = typed.isEmpty ? "Type \(pending.version) to move existing tags." : "\"\(typed)\" is not \(pending.version)."
            return []
        }
        context.navigation.open(.publish)
        return [.publish(typedVersion: pending.requiresTypedVersion ? typed : nil)]
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        guard typed.edit(with: key) else { return nil }
        error = nil
        return []
    }

    mutating func reset() { self = ConfirmController() }

    /// Notes how far the summary scrolls in `rect`.
    mutating func layout(_ rect: Rect, _ state: ReleaseState, theme: Theme) {
        scrollEnd = dialog(state, theme: theme).scrollEnd(in: rect)
        scroll = min(scroll, scrollEnd)
    }

    private func dialog(_ state: ReleaseState, theme: Theme) -> ConfirmDialog {
        ConfirmDialog(model: state.pendingTags, typed: typed, error: error, scroll: scroll, theme: theme)
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        dialog(state, theme: theme).render(into: &grid, rect)
    }
}
