import GantryEngine

/// Which part of the release screen has the keyboard.
public enum ReleasePane: Hashable, Sendable { case matrix, log }

/// The release screen: header, platform matrix, and the log of the selected platform. A
/// family's matrix is grouped by image: a header line per image with its progress, which
/// Enter folds and unfolds.
public struct ReleaseScreen: Sendable {
    public var model: ReleaseViewModel
    /// The selected line of the matrix (`ReleaseViewModel.lines`).
    public var selected: Int
    /// The images folded to their header line.
    public var collapsed: Set<String>
    public var pane: ReleasePane
    /// Log lines scrolled back from the newest; 0 follows the log.
    public var logScroll: Int
    public var now: Double
    public var theme: Theme

    public init(model: ReleaseViewModel, selected: Int, collapsed: Set<String> = [], pane: ReleasePane, logScroll: Int, now: Double, theme: Theme) {
        self.model = model
        self.selected = selected
        self.collapsed = collapsed
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
        let lines = model.lines(collapsed: collapsed)
        let (headerRect, matrixRect, logRect) = Self.layout(rect, rows: lines.count)
        renderHeader(into: &grid, headerRect)
        let built = model.rows.filter(\.state.hasDigest).count
        let images = lines.filter { $0.row == nil }.count
        grid.box(matrixRect, title: (images > 0 ? "Images \(images) · " : "") + "Platforms \(built)/\(model.rows.count)",
                 style: theme.style(pane == .matrix ? .accent : .muted), titleStyle: theme.heading)
        matrixTable(lines).render(into: &grid, matrixRect.inset(1), theme: theme)
        switch lines[safe: selected] {
        case .image(let image, let rows, let folded)?: renderImageSummary(image, rows: rows.map { model.rows[$0] }, folded: folded, into: &grid, logRect)
        case .platform(let i)?: renderLog(of: model.rows[i], into: &grid, logRect)
        case nil: break
        }
    }

    private func renderHeader(into grid: inout CellGrid, _ rect: Rect) {
        let h = model.header
        let first = StyledLine([TextSpan("Image ", theme.heading), TextSpan(h.image + "  "), TextSpan("Version ", theme.heading), TextSpan(h.version, theme.style(.accent, bold: true))])
        let second = StyledLine([TextSpan("Registries ", theme.heading), TextSpan(h.registries.joined(separator: ", ") + "  "),
                                 TextSpan("Builders ", theme.heading), TextSpan(h.builders.joined(separator: ", "))])
        grid.put(first, x: rect.x, y: rect.y, limit: rect.width)
        if rect.height > 1 { grid.put(second, x: rect.x, y: rect.y + 1, limit: rect.width) }
    }

    func matrixTable(_ lines: [MatrixLine]) -> Table {
        let columns = [
            TableColumn("Platform", width: 13, priority: 100),
            TableColumn("Builder", width: 8, priority: 1),
            TableColumn("State", width: 10, priority: 90),
            TableColumn("Progress", width: 10, flexible: true, priority: 80),
            TableColumn("Step", width: 12, flexible: true, priority: 3),
            TableColumn("Time", width: 6, priority: 5, alignRight: true),
            TableColumn("Digest", width: 12, priority: 4),
        ]
        let grouped = lines.contains { $0.row == nil }
        let rows: [[TableCell]] = lines.map { line in
            guard case .platform(let i) = line else { return imageCells(line) }
            let row = model.rows[i]
            let state = theme.style(row.state.role, bold: row.state == .failed)
            return [
                .plain((grouped ? "  " : "") + row.platform.description),
                .text(row.builder, theme.style(.muted)),
                .text(row.state.symbol + " " + row.state.rawValue, state),
                .progress(done: row.stepsDone, total: row.stepsTotal, theme.style(row.state.role)),
                .text(row.currentStep, row.state == .failed ? state : .plain),
                .plain(row.elapsed(now: now).map(formatElapsed) ?? ""),
                .text(row.digest.map(Digest.short) ?? "", theme.style(.muted)),
            ]
        }
        return Table(columns: columns, rows: rows, selected: lines.isEmpty ? nil : selected)
    }

    /// An image's header line: its name (▾ open, ▸ folded), where its builds are as one state, and how many are built.
    private func imageCells(_ line: MatrixLine) -> [TableCell] {
        guard case .image(let image, let indices, let folded) = line else { return [] }
        let rows = indices.map { model.rows[$0] }
        let state = Self.summary(of: rows.map(\.state))
        let elapsed = rows.compactMap { $0.elapsed(now: now) }.max()
        return [
            .text((folded ? "▸ " : "▾ ") + image, theme.heading),
            .plain(""),
            .text(state.symbol + " " + state.rawValue, theme.style(state.role, bold: state == .failed)),
            .progress(done: rows.filter(\.state.hasDigest).count, total: rows.count, theme.style(state.role)),
            .plain(""),
            .plain(elapsed.map(formatElapsed) ?? ""),
            .plain(""),
        ]
    }

    /// One state for an image's builds: failed if any failed, else still active if any is,
    /// else cancelled if any was, else built.
    static func summary(of states: [PlatformRow.State]) -> PlatformRow.State {
        if states.contains(.failed) { return .failed }
        if states.contains(where: { $0 == .building || $0 == .pushing }) { return .building }
        if states.contains(.queued) { return .queued }
        if states.contains(.cancelled) { return .cancelled }
        return states.allSatisfy { $0 == .imported } && !states.isEmpty ? .imported : .done
    }

    /// The pane below an image's header: its platforms' states, and how to fold it.
    private func renderImageSummary(_ image: String, rows: [PlatformRow], folded: Bool, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 3 else { return }
        let inner = rect.inset(1)
        grid.box(rect, title: "Image · \(image)", style: theme.style(.muted), titleStyle: theme.heading)
        let counts = PlatformRow.State.allCases.compactMap { state -> String? in
            let n = rows.filter { $0.state == state }.count
            return n == 0 ? nil : "\(n) \(state.rawValue)"
        }
        let lines = ["\(rows.count) platforms: " + counts.joined(separator: ", "),
                     (folded ? "Enter unfolds its platforms" : "Enter folds its platforms") + "; select a platform for its log."]
        for (i, line) in lines.enumerated() where i < inner.height {
            grid.put(line, x: inner.x, y: inner.y + i, style: i == 0 ? .plain : theme.style(.muted), limit: inner.width)
        }
    }

    private func renderLog(of row: PlatformRow, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 3 else { return }
        var inner = rect.inset(1)
        let follow = logScroll == 0 ? "following" : "\(logScroll) lines back"
        grid.box(rect, title: "Log · " + (row.image.map { "\($0) " } ?? "") + "\(row.platform) · \(follow)", style: theme.style(pane == .log ? .accent : .muted), titleStyle: theme.heading)
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
