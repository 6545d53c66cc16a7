/// The journal screen: every journal of the state folder (release, build, publish, promote,
/// rollback) with its kind, image, state, version, start time and full id.
public struct JournalScreen: Sendable {
    public var model: JournalViewModel
    public var selected: Int
    public var theme: Theme

    public init(model: JournalViewModel, selected: Int, theme: Theme) {
        self.model = model
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        guard !model.entries.isEmpty else {
            grid.put("No journals yet: every release, build, publish, promotion and rollback is journaled here.", x: rect.x, y: rect.y, style: theme.style(.muted), limit: rect.width)
            return
        }
        grid.put("\(model.entries.count) journal(s), newest first. Enter shows the history, b rolls back.", x: rect.x, y: rect.y, style: theme.heading, limit: rect.width)
        let rows: [[TableCell]] = model.entries.map { e in
            [.text(e.kind, theme.style(.plain, bold: true)), .plain(e.image), .text(e.version, theme.style(.accent, bold: true)),
             .text(e.stateText, theme.style(e.state.role, bold: e.state == .failed || e.state == .running)),
             .plain(e.startedAt), .text(e.id, theme.style(.muted))]
        }
        // Versions, times and ids are whole or absent, never cut (an id cut short cannot be
        // used from the shell): their columns are as wide as their widest value, and a narrow
        // screen drops the time, then the id, before the state's spare room goes.
        let widest = { (values: [String], least: Int) in max(least, values.map { DisplayWidth.of($0) }.max() ?? 0) }
        Table(columns: [
            TableColumn("Kind", width: 8, priority: 95),
            // Starts narrow (cut rather than the id dropped: an id is what the shell needs) and
            // grows to its content before the state takes the spare room.
            TableColumn("Image", width: 5, priority: 92),
            TableColumn("Version", width: widest(model.entries.map(\.version), 7), priority: 100),
            TableColumn("State", width: 12, flexible: true, priority: 90),
            TableColumn("Started", width: widest(model.entries.map(\.startedAt), 7), priority: 60),
            TableColumn("Id", width: widest(model.entries.map(\.id), 2), priority: 70),
        ], rows: rows, selected: selected).render(into: &grid, Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2), theme: theme)
    }
}
