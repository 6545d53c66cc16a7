/// The digest of every platform built.
struct DigestsController: FilteredList {
    var selection = 0
    var filter = ListFilter()

    static let rows = \ReleaseState.digests.rows
    static func words(_ row: DigestRow) -> String { "\(row.platform) \(row.manifestDigest ?? "") \(row.attestationDigest ?? "")" }

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
