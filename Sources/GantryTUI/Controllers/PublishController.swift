/// Publishing, registry by registry, and the read-back of every tag.
struct PublishController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    func rowCount(_ state: ReleaseState) -> Int { filtered(state).publish.verifications.count }
    func unfilteredCount(_ state: ReleaseState) -> Int { state.publish.verifications.count }

    func filtered(_ state: ReleaseState) -> ReleaseState {
        var state = state
        state.publish.verifications = filter.apply(state.publish.verifications) { "\($0.registry) \($0.tag)" }
        return state
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.pendingTags(), ReleaseViewBindings.matrix(), Self.filtering,
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PublishScreen(model: filtered(state).publish, selected: selection, now: now, theme: theme).render(into: &grid, rect)
    }
}
