/// One cell of a table row.
public enum TableCell: Hashable, Sendable {
    case text(String, CellStyle)
    /// A progress bar with a `done/total` label, sized to the column.
    case progress(done: Int, total: Int, CellStyle)

    public static func plain(_ s: String) -> TableCell { .text(s, .plain) }
}

/// A table column: a title, a minimum width (less when its content is narrower), whether it
/// takes spare room beyond its content, and how early it is dropped when the screen is narrow
/// (lower `priority` goes first) or grows to its content (higher first).
public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var width: Int
    public var flexible: Bool
    public var priority: Int
    public var alignRight: Bool

    public init(_ title: String, width: Int, flexible: Bool = false, priority: Int = 10, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.flexible = flexible
        self.priority = priority
        self.alignRight = alignRight
    }
}

/// A table with a header row, column widths fitted to the space, and a scrolled selection.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [[TableCell]]
    public var selected: Int?
    /// Blank columns between columns.
    public var gap = 1

    public init(columns: [TableColumn], rows: [[TableCell]], selected: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
    }

    /// The widest a column grows to show its content, so one long cell cannot take the line.
    static let contentCap = 40

    /// The widths of the columns that fit in `width` (nil for dropped columns), from their content:
    /// a column whose cells are all empty takes no room; each column starts at its minimum
    /// (`width`, or less when its content is narrower), the others are dropped, lowest priority
    /// first, until the rest fit; then the columns grow to their content, highest priority first,
    /// and the key column (the highest priority: a tag, a platform) is never cut while another
    /// can be dropped, unless it holds text longer than the cap.
    /// Room left over goes to the flexible columns.
    public func layout(width: Int) -> [Int?] {
        let natural = columns.indices.map(naturalWidth)
        let minimum = columns.indices.map { i in natural[i].map { min(columns[i].width, $0) } }
        var kept = columns.indices.filter { natural[$0] != nil }
        if kept.isEmpty { kept = [0] }
        let byPriority = { (a: Int, b: Int) in columns[a].priority > columns[b].priority }
        let key = kept.max { columns[$0].priority < columns[$1].priority }!
        func gaps() -> Int { gap * max(0, kept.count - 1) }
        func fitted() -> [Int: Int] {
            var widths = Dictionary(uniqueKeysWithValues: kept.map { ($0, minimum[$0] ?? columns[$0].width) })
            var spare = width - widths.values.reduce(0, +) - gaps()
            for i in kept.sorted(by: byPriority) where spare > 0 {
                let grow = min(spare, max(0, (natural[i] ?? 0) - widths[i]!))
                widths[i]! += grow
                spare -= grow
            }
            return widths
        }
        func dropLowest() {
            let lowest = kept.min { columns[$0].priority < columns[$1].priority }!
            kept.removeAll { $0 == lowest }
        }
        while kept.reduce(0, { $0 + (minimum[$1] ?? columns[$1].width) }) + gaps() > width, kept.count > 1 { dropLowest() }
        var widths = fitted()
        // Free text longer than the cap (a message) is cut anyway: only a name is worth a column.
        let keyNeeds = natural[key] ?? 0
        while kept.count > 1, keyNeeds < Self.contentCap, kept.contains(key), widths[key]! < keyNeeds {
            dropLowest()
            widths = fitted()
        }
        var spare = width - widths.values.reduce(0, +) - gaps()
        let flex = kept.filter { columns[$0].flexible }
        if spare > 0, !flex.isEmpty {
            for (n, i) in flex.enumerated() {
                let share = spare / (flex.count - n)
                widths[i]! += share
                spare -= share
            }
        } else if spare < 0, let last = kept.last {
            widths[last] = max(1, widths[last]! + spare)
        }
        return columns.indices.map { widths[$0] }
    }

    /// The room a column's header and widest cell take (capped), nil when every cell is empty.
    /// A progress bar has no width of its own: it takes the column's; so does a table with no rows.
    private func naturalWidth(_ i: Int) -> Int? {
        var widest = rows.isEmpty ? columns[i].width : 0
        var hasContent = rows.isEmpty
        for row in rows where i < row.count {
            switch row[i] {
            case .text(let s, _):
                if !s.isEmpty { hasContent = true }
                widest = max(widest, DisplayWidth.of(s))
            case .progress:
                hasContent = true
                widest = max(widest, columns[i].width)
            }
        }
        guard hasContent else { return nil }
        return min(Self.contentCap, max(widest, DisplayWidth.of(columns[i].title)))
    }

    /// Draws the header and as many rows as fit, scrolled so the selection shows.
    public func render(into grid: inout CellGrid, _ rect: Rect, theme: Theme) {
        guard rect.height > 0, rect.width > 0 else { return }
        let widths = layout(width: rect.width)
        var x = rect.x
        for (i, column) in columns.enumerated() {
            guard let w = widths[i] else { continue }
            grid.put(TextFit.pad(column.title, to: w, alignRight: column.alignRight), x: x, y: rect.y, style: theme.heading, limit: w)
            x += w + gap
        }
        let visible = rect.height - 1
        guard visible > 0 else { return }
        let offset = max(0, min((selected ?? 0) - visible + 1, rows.count - visible))
        for (line, r) in rows.indices.dropFirst(offset).prefix(visible).enumerated() {
            let y = rect.y + 1 + line
            x = rect.x
            for (i, cell) in rows[r].enumerated() where i < columns.count {
                guard let w = widths[i] else { continue }
                draw(cell, into: &grid, x: x, y: y, width: w, alignRight: columns[i].alignRight)
                x += w + gap
            }
            if r == selected {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true }
            }
        }
        if offset > 0 { grid.put("↑", x: rect.maxX - 1, y: rect.y + 1, style: theme.style(.muted)) }
        if offset + visible < rows.count { grid.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, style: theme.style(.muted)) }
    }

    private func draw(_ cell: TableCell, into grid: inout CellGrid, x: Int, y: Int, width: Int, alignRight: Bool) {
        switch cell {
        case .text(let s, let style):
            grid.put(TextFit.pad(s, to: width, alignRight: alignRight), x: x, y: y, style: style, limit: width)
        case .progress(let done, let total, let style):
            let label = total > 0 ? " \(done)/\(total)" : ""
            let barWidth = width - DisplayWidth.of(label)
            if barWidth >= 3 {
                grid.put(ProgressBar(done: done, total: total).text(width: barWidth), x: x, y: y, style: style, limit: barWidth)
                grid.put(label, x: x + barWidth, y: y, limit: width - barWidth)
            } else {
                grid.put(TextFit.pad(label.trimmingLeadingSpace, to: width, alignRight: true), x: x, y: y, limit: width)
            }
        }
    }
}

extension String {
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
