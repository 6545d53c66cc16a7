/// The digest of every platform built.
struct DigestsController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    func rowCount(_ state: ReleaseState) -> Int { filtered(state).digests.rows.count }
    func unfilteredCount(_ state: ReleaseState) -> Int { state.digests.rows.count }

    func filtered(_ state: ReleaseState) -> ReleaseState {
        var state = state
        state.digests.rows = filter.apply(state.digests.rows) { "\($0.platform) \($0.manifestDigest ?? "") \($0.attestationDigest ?? "")" }
        return state
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.pendingTags(), ReleaseViewBindings.matrix(),
            ReleaseViewBindings.publish(state), ReleaseViewBindings.publishWithout(state), Self.filtering,
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        DigestsScreen(model: filtered(state).digests, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
