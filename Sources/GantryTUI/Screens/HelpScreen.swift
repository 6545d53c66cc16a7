/// The `?` screen: the bindings of the screen it was opened from.
public struct HelpScreen: Sendable {
    public var screen: ScreenID
    public var bindings: [BindingDescription]
    public var scroll: Int
    public var theme: Theme

    public init(screen: ScreenID, bindings: [BindingDescription], scroll: Int, theme: Theme) {
        self.screen = screen
        self.bindings = bindings
        self.scroll = scroll
        self.theme = theme
    }

    /// The help lines: key labels and sentences, in the controller's order; a disabled key says why.
    public var entries: [(keys: String, help: String)] {
        bindings.map { binding in
            (binding.keyLabel, binding.help + (binding.disabledReason.map { " (not now: \($0))" } ?? ""))
        }
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        grid.put("Keys on the \(screen.title.lowercased()) screen", x: rect.x, y: rect.y, style: theme.heading, limit: rect.width)
        let keyWidth = min(14, entries.map { DisplayWidth.of($0.keys) }.max() ?? 0)
        let rows = entries.dropFirst(max(0, min(scroll, entries.count - 1)))
        for (i, entry) in rows.enumerated() where 2 + i < rect.height {
            let y = rect.y + 2 + i
            grid.put(TextFit.pad(entry.keys, to: keyWidth), x: rect.x + 1, y: y, style: theme.style(.accent, bold: true), limit: keyWidth)
            grid.put(entry.help, x: rect.x + keyWidth + 3, y: y, limit: rect.width - keyWidth - 3)
        }
    }
}
