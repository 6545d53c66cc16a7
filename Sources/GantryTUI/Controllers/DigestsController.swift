/// The digest of every platform built.
struct DigestsController: ListController {
    var selection = 0

    func rowCount(_ state: ReleaseState) -> Int { state.digests.rows.count }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.pendingTags(), ReleaseViewBindings.matrix(),
            ReleaseViewBindings.publish(state), ReleaseViewBindings.publishWithout(state),
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        DigestsScreen(model: state.digests, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
