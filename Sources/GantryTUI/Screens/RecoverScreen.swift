/// The recover screen: unfinished releases from the journal, to resume or inspect.
public struct RecoverScreen: Sendable {
    public var model: RecoverViewModel
    public var selected: Int
    /// Every journal with its standing (`a`), not only those offered for resume.
    public var showsAll: Bool
    public var theme: Theme

    public init(model: RecoverViewModel, selected: Int, showsAll: Bool = false, theme: Theme) {
        self.model = model
        self.selected = selected
        self.showsAll = showsAll
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        // What `a` would add is counted, so a clean list does not hide the journals behind it.
        let hidden = showsAll || model.notOffered.isEmpty ? "" : " (\(model.notOffered.count) more not offered: a shows all)"
        guard !model.releases.isEmpty else {
            grid.put("No unfinished releases: the journal is clean." + hidden, x: rect.x, y: rect.y, style: theme.style(.success), limit: rect.width)
            return
        }
        let heading = showsAll
            ? "\(model.releases.count) journal(s), each with its standing; a shows only those offered for resume."
            : "\(model.releases.count) unfinished release(s). Enter resumes, i inspects, x dismisses." + hidden
        grid.put(heading, x: rect.x, y: rect.y, style: theme.style(.warning, bold: true), limit: rect.width)
        let rows: [[TableCell]] = model.releases.map { r in
            [.plain(r.startedAt), .plain(r.image), .text(r.version, theme.style(.accent, bold: true)), .plain(r.stage)]
                + (showsAll ? [.text(r.note, theme.style(r.note == "unfinished" ? .warning : .muted))] : [])
                + [.text(r.id, theme.style(.muted))]
        }
        // Times and ids are shown whole when there is room (an id cut short cannot be resumed
        // from the shell); narrow screens drop them before the stage.
        let idWidth = min(64, model.releases.map { DisplayWidth.of($0.id) }.max() ?? 8)
        Table(columns: [
            TableColumn("Started", width: 20, priority: 60),
            TableColumn("Image", width: 14, flexible: true, priority: 80),
            TableColumn("Version", width: 10, priority: 100),
            TableColumn("Stage", width: 14, flexible: true, priority: 90),
        ] + (showsAll ? [TableColumn("Note", width: min(36, model.releases.map { DisplayWidth.of($0.note) }.max() ?? 4), priority: 95)] : []) + [
            TableColumn("Id", width: idWidth, priority: 50),
        ], rows: rows, selected: selected).render(into: &grid, Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2), theme: theme)
    }
}
