import GantryEngine

/// Which part of the release screen has the keyboard.
public enum ReleasePane: Hashable, Sendable { case matrix, log }

/// The release screen: header, platform matrix, and the log of the selected platform.
public struct ReleaseScreen: Sendable {
    public var model: ReleaseViewModel
    public var selected: Int
    public var pane: ReleasePane
    /// Log lines scrolled back from the newest; 0 follows the log.
    public var logScroll: Int
    public var now: Double
    public var theme: Theme

    public init(model: ReleaseViewModel, selected: Int, pane: ReleasePane, logScroll: Int, now: Double, theme: Theme) {
        self.model = model
        self.selected = selected
        self.pane = pane
        self.logScroll = logScroll
        self.now = now
        self.theme = theme
    }

    /// The header, matrix and log areas of the screen in `rect`.
    static func layout(_ rect: Rect, rows: Int) -> (header: Rect, matrix: Rect, log: Rect) {
        let (headerRect, body) = rect.splitTop(2)
        let minimumLog = min(5, max(0, body.height - 5))
        let matrixHeight = min(rows + 3, body.height - minimumLog)
        let (matrixRect, logRect) = body.splitTop(matrixHeight)
        return (headerRect, matrixRect, logRect)
    }

    /// How many log lines the log pane shows in `rect` (for scrolling as `less` does).
    static func logLines(_ rect: Rect, rows: Int) -> Int { max(1, layout(rect, rows: rows).log.height - 2) }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let (headerRect, matrixRect, logRect) = Self.layout(rect, rows: model.rows.count)
        renderHeader(into: &grid, headerRect)
        let built = model.rows.filter(\.state.hasDigest).count
        grid.box(matrixRect, title: "Platforms \(built)/\(model.rows.count)",
                 style: theme.style(pane == .matrix ? .accent : .muted), titleStyle: theme.heading)
        matrixTable.render(into: &grid, matrixRect.inset(1), theme: theme)
        renderLog(into: &grid, logRect)
    }

    private func renderHeader(into grid: inout CellGrid, _ rect: Rect) {
        let h = model.header
        let first = StyledLine([TextSpan("Image ", theme.heading), TextSpan(h.image + "  "), TextSpan("Version ", theme.heading), TextSpan(h.version, theme.style(.accent, bold: true))])
        let second = StyledLine([TextSpan("Registries ", theme.heading), TextSpan(h.registries.joined(separator: ", ") + "  "),
                                 TextSpan("Builders ", theme.heading), TextSpan(h.builders.joined(separator: ", "))])
        grid.put(first, x: rect.x, y: rect.y, limit: rect.width)
        if rect.height > 1 { grid.put(second, x: rect.x, y: rect.y + 1, limit: rect.width) }
    }

    var matrixTable: Table {
        let columns = [
            TableColumn("Platform", width: 13, priority: 100),
            TableColumn("Builder", width: 8, priority: 1),
            TableColumn("State", width: 10, priority: 90),
            TableColumn("Progress", width: 10, flexible: true, priority: 80),
            TableColumn("Step", width: 12, flexible: true, priority: 3),
            TableColumn("Time", width: 6, priority: 5, alignRight: true),
            TableColumn("Digest", width: 12, priority: 4),
        ]
        let rows: [[TableCell]] = model.rows.map { row in
            let state = theme.style(row.state.role, bold: row.state == .failed)
            return [
                .plain(row.platform.description),
                .text(row.builder, theme.style(.muted)),
                .text(row.state.symbol + " " + row.state.rawValue, state),
                .progress(done: row.stepsDone, total: row.stepsTotal, theme.style(row.state.role)),
                .text(row.currentStep, row.state == .failed ? state : .plain),
                .plain(row.elapsed(now: now).map(formatElapsed) ?? ""),
                .text(row.digest.map(Digest.short) ?? "", theme.style(.muted)),
            ]
        }
        return Table(columns: columns, rows: rows, selected: model.rows.isEmpty ? nil : selected)
    }

    private func renderLog(into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 3, model.rows.indices.contains(selected) else { return }
        let row = model.rows[selected]
        var inner = rect.inset(1)
        let follow = logScroll == 0 ? "following" : "\(logScroll) lines back"
        grid.box(rect, title: "Log · \(row.platform) · \(follow)", style: theme.style(pane == .log ? .accent : .muted), titleStyle: theme.heading)
        // Opened (Enter), the pane is the platform's detail: its step and whole error first.
        if pane == .log, let failure = row.failure {
            let detail = ["Step: " + (row.lastStep.isEmpty ? "-" : row.lastStep)]
                + TextFit.wrap("Error: " + failure, width: inner.width).prefix(max(1, inner.height / 2))
            for (i, line) in detail.enumerated() where i < inner.height {
                grid.put(line, x: inner.x, y: inner.y + i, style: i == 0 ? theme.heading : theme.style(.danger), limit: inner.width)
            }
            inner = Rect(x: inner.x, y: inner.y + detail.count, width: inner.width, height: max(0, inner.height - detail.count))
        }
        let lines = row.log.window(count: inner.height, fromEnd: logScroll)
        for (i, line) in lines.enumerated() {
            let style = line.hasPrefix("error:") ? theme.style(.danger) : line.hasPrefix("warning:") ? theme.style(.warning) : CellStyle.plain
            grid.put(line, x: inner.x, y: inner.y + i, style: style, limit: inner.width)
        }
        if row.log.isEmpty {
            grid.put("no output yet", x: inner.x, y: inner.y, style: theme.style(.muted), limit: inner.width)
        }
    }
}
