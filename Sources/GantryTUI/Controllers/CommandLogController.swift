import GantryEngine

/// The command log (`L`): every write, read-back and command of this console, newest last.
/// It follows the newest entry, as `G` on a log does, until the selection moves up.
struct CommandLogController: FilteredList {
    var selection = Int.max
    var filter = ListFilter()

    static let rows = \ReleaseState.commandLog.entries
    static func words(_ row: Activity) -> String { row.summary }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        Self.movement + [Self.filtering] + SharedBindings.closing()
    }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        let last = max(0, rowCount(state) - 1)
        // At the bottom it follows: new entries keep the newest shown.
        let row = clamp(min(selection, last).addingReportingOverflow(delta).partialValue, 0, last)
        selection = row == last ? Int.max : row
        return []
    }

    mutating func reset() { selection = Int.max; filter = ListFilter() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        let shown = filtered(state).commandLog
        CommandLogScreen(log: shown, total: state.commandLog.total, selected: min(selection, max(0, shown.entries.count - 1)), theme: theme)
            .render(into: &grid, rect)
    }
}
