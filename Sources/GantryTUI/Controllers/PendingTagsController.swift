/// The tags publishing will write, what each points to now and after.
struct PendingTagsController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    static let rows = \ReleaseState.pendingTags.rows
    static func words(_ row: PendingTagRow) -> String { "\(row.image ?? "") \(row.registry) \(row.tag) \(row.currentVersion ?? "") \(row.newVersion ?? "") \(row.change)" }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.matrix(),
            ReleaseViewBindings.publish(state), ReleaseViewBindings.publishWithout(state), Self.filtering,
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        // Derived, not remembered: after publishing, the rows say what the read-back found.
        PendingTagsScreen(model: filtered(state).pendingTags, selected: selection, theme: theme, readBack: state.publish.verifications)
            .render(into: &grid, rect)
    }
}
