/// An entry of the home menu.
public enum HomeItem: Int, CaseIterable, Hashable, Sendable {
    case release, audit, recover, journal
}

/// The home screen: release, audit, recover or the journal.
public struct HomeScreen: Sendable {
    public var model: HomeViewModel
    public var selected: Int
    public var theme: Theme

    public init(model: HomeViewModel, selected: Int, theme: Theme) {
        self.model = model
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        var y = rect.y
        if !model.image.isEmpty {
            grid.put(StyledLine([TextSpan("Image ", theme.heading), TextSpan(model.image)]), x: rect.x, y: y, limit: rect.width)
            y += 1
        }
        if !model.images.isEmpty {
            let line = StyledLine([TextSpan("Family ", theme.heading), TextSpan("\(model.images.count) images: " + model.images.joined(separator: ", "))])
            grid.put(line, x: rect.x, y: y, limit: rect.width)
            y += 1
        }
        if !model.configPath.isEmpty {
            grid.put(StyledLine([TextSpan("Config ", theme.heading), TextSpan(model.configPath)]), x: rect.x, y: y, limit: rect.width)
            y += 1
        }
        for problem in model.configProblems where y < rect.maxY {
            grid.put(problem, x: rect.x, y: y, style: theme.style(.danger), limit: rect.width)
            y += 1
        }
        y += 1
        for item in HomeItem.allCases where y + 1 < rect.maxY {
            let (title, detail) = describe(item)
            let isSelected = item.rawValue == selected
            let line = StyledLine([TextSpan((isSelected ? "▸ " : "  ") + title, theme.style(.accent, bold: true))])
            grid.put(line, x: rect.x + 1, y: y, limit: rect.width - 1)
            grid.put(detail, x: rect.x + 4, y: y + 1, style: theme.style(.muted), limit: rect.width - 4)
            if isSelected { grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true } }
            y += 3
        }
    }

    private func describe(_ item: HomeItem) -> (String, String) {
        switch item {
        case .release:
            if let half = model.halfPublished { return ("Finish \(half.version)", half.warning + ": finish it, or release another version.") }
            let what = model.images.isEmpty
                ? "Build every platform, review the pending tags, publish after confirming."
                : "Build each image × platform; confirm every image's tags at once, then publish."
            return ("Release" + (model.nextVersion.map { " " + $0 } ?? ""), what)
        case .audit:
            return ("Audit", "Inspect a published reference: platforms, digests, attestations, shared tags.")
        case .recover:
            let n = model.unfinishedReleases
            return ("Recover" + (n > 0 ? " (\(n) unfinished)" : ""), "Resume or inspect releases the journal did not see finish.")
        case .journal:
            return ("Journal", "Every release, build, publish, promotion and rollback: history, roll back.")
        }
    }
}
