/// Publishing, registry by registry, and the read-back of every tag.
struct PublishController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    static let rows = \ReleaseState.publish.verifications
    static func words(_ row: PublishViewModel.VerificationRow) -> String { "\(row.registry) \(row.tag)" }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + ReleaseViewBindings.views() + [
            ReleaseViewBindings.digests(), ReleaseViewBindings.pendingTags(), ReleaseViewBindings.matrix(), Self.filtering,
        ] + SharedBindings.closing()
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PublishScreen(model: filtered(state).publish, selected: selection, now: now, theme: theme).render(into: &grid, rect)
    }
}
