/// The confirmation before publishing or rolling back: Enter goes ahead, after the version is
/// typed when existing tags move; Esc declines (the engine records that nothing moved).
struct ConfirmController: ScreenController {
    private var typed = ""
    private var error: String?

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
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

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        ConfirmDialog(model: state.pendingTags, typed: typed, error: error, theme: theme).render(into: &grid, rect)
    }
}
