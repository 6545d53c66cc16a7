/// One journal in full, scrollable: what it is, its platforms with digests, the tags before,
/// its publications with index digests and tags, errors, and its history in order.
public struct JournalDetailScreen: Sendable {
    public var entry: JournalViewModel.Entry?
    /// The first line shown.
    public var scroll: Int
    public var theme: Theme

    public init(entry: JournalViewModel.Entry?, scroll: Int, theme: Theme) {
        self.entry = entry
        self.scroll = scroll
        self.theme = theme
    }

    /// The entry's lines at `width`, wrapped under their own indentation rather than cut:
    /// digests and errors are read whole here.
    public static func lines(of entry: JournalViewModel.Entry?, width: Int) -> [(text: String, line: JournalViewModel.DetailLine)] {
        (entry?.detail ?? []).flatMap { line in
            let indent = String(line.text.prefix { $0 == " " })
            return TextFit.wrap(String(line.text.dropFirst(indent.count)), width: max(1, width - indent.count)).map { (text: indent + $0, line: line) }
        }
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        guard entry != nil else {
            grid.put("This journal is no longer in the state folder.", x: rect.x, y: rect.y, style: theme.style(.muted), limit: rect.width)
            return
        }
        let lines = Self.lines(of: entry, width: rect.width)
        let top = clamp(scroll, 0, max(0, lines.count - rect.height))
        for (y, shown) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            let style = shown.line.isHeading ? theme.heading : theme.style(shown.line.role)
            grid.put(shown.text, x: rect.x, y: rect.y + y, style: style, limit: rect.width)
        }
        if top > 0 { grid.put("↑", x: rect.maxX - 1, y: rect.y, style: theme.style(.muted)) }
        if top + rect.height < lines.count { grid.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, style: theme.style(.muted)) }
    }
}
