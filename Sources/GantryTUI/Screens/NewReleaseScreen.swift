/// Home → Release: the version to release, typed or picked among suggestions made from the
/// newest version tag of the first configured registry. The engine side validates it as
/// the CLI does before the release screen opens.
public struct NewReleaseScreen: Sendable {
    public var model: HomeViewModel
    public var input: String
    public var selected: Int
    public var theme: Theme

    public init(model: HomeViewModel, input: String, selected: Int, theme: Theme) {
        self.model = model
        self.input = input
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        var y = rect.y
        if !model.image.isEmpty {
            grid.put(StyledLine([TextSpan("Image ", theme.heading), TextSpan(model.image)]), x: rect.x, y: y, limit: rect.width)
            y += 2
        }
        grid.put("Version to release (semver; a leading v is stripped):", x: rect.x, y: y, style: theme.heading, limit: rect.width)
        let field = TextFit.truncateLeading(input + "▏", to: max(1, rect.width - 2))
        grid.put(TextFit.pad(field, to: rect.width - 2), x: rect.x + 1, y: y + 1, style: CellStyle(underline: true), limit: rect.width - 2)
        y += 3
        guard !model.suggestions.isEmpty, y < rect.maxY else { return }
        let source = model.suggestionSource.isEmpty ? "Suggestions" : "Suggestions (\(model.suggestionSource))"
        grid.put(source + ": ↑/↓ pick, Enter releases it when nothing is typed", x: rect.x, y: y, style: theme.style(.muted), limit: rect.width)
        for (i, version) in model.suggestions.enumerated() where y + 1 + i < rect.maxY {
            let finishes = version == model.halfPublished?.version ? "  finish it: resumes \(model.halfPublished?.id ?? "")" : ""
            let line = (i == selected ? "▸ " : "  ") + version + finishes
            grid.put(line, x: rect.x + 1, y: y + 1 + i, style: theme.style(.accent, bold: i == selected), limit: rect.width - 1)
            if i == selected { grid.restyle(Rect(x: rect.x, y: y + 1 + i, width: rect.width, height: 1)) { $0.reverse = true } }
        }
    }
}
