/// The tags publishing will write, what each points to now and after.
struct PendingTagsController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    func rowCount(_ state: ReleaseState) -> Int { filtered(state).pendingTags.rows.count }
    func unfilteredCount(_ state: ReleaseState) -> Int { state.pendingTags.rows.count }

    func filtered(_ state: ReleaseState) -> ReleaseState {
        var state = state
        state.pendingTags.rows = filter.apply(state.pendingTags.rows) { "\($0.registry) \($0.tag) \($0.currentVersion ?? "") \($0.newVersion ?? "") \($0.change)" }
        return state
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.matrix(),
            ReleaseViewBindings.publish(state), ReleaseViewBindings.publishWithout(state), Self.filtering,
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PendingTagsScreen(model: filtered(state).pendingTags, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
