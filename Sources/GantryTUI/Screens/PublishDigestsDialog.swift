/// The dialog `D` opens on the journal and recover screens: the version, then the CI digests
/// (folders or files named by digest) or buildx metadata files to publish under it.
public struct PublishDigestsDialog: Sendable {
    public var typed: String
    public var theme: Theme

    public init(typed: String, theme: Theme) {
        self.typed = typed
        self.theme = theme
    }

    static let lines = [
        "The platforms of a CI run, published as one index:",
        "type the version, then paths: digests folders (a CI run's",
        "digests-* artifacts, walked into subfolders) or files named by",
        "digest; or buildx metadata files (*.json).",
    ]

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let inner = drawDialog(into: &grid, rect, width: 68, height: Self.lines.count + 6, title: "Publish digests", theme: theme)
        for (i, line) in Self.lines.enumerated() { grid.put(line, x: inner.x, y: inner.y + i, limit: inner.width) }
        let field = TextFit.truncateLeading(typed + "▏", to: inner.width)
        grid.put(TextFit.pad(field, to: inner.width), x: inner.x, y: inner.y + Self.lines.count + 1, style: CellStyle(underline: true), limit: inner.width)
        grid.put("Enter publish (pending tags, then confirm) · Esc cancel", x: inner.x, y: inner.maxY - 1, style: theme.style(.muted), limit: inner.width)
    }
}
