/// The tags publishing will write, what each points to now and after.
struct PendingTagsController: ListController {
    var selection = 0

    func rowCount(_ state: ReleaseState) -> Int { state.pendingTags.rows.count }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.matrix(),
            ReleaseViewBindings.publish(state), ReleaseViewBindings.publishWithout(state),
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PendingTagsScreen(model: state.pendingTags, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
