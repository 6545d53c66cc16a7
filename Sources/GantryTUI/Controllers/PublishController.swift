/// Publishing, registry by registry, and the read-back of every tag.
struct PublishController: ListController {
    var selection = 0

    func rowCount(_ state: ReleaseState) -> Int { state.publish.verifications.count }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.pendingTags(), ReleaseViewBindings.matrix(),
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PublishScreen(model: state.publish, selected: selection, now: now, theme: theme).render(into: &grid, rect)
    }
}
