/// Home → Release: a typed version (every printable key is text here), else the selected suggestion.
struct NewReleaseController: ScreenController {
    private var input = ""
    private var selection = 0

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        let count = state.home.suggestions.count
        return [
            KeyBinding([.up], help: "Previous suggestion") { c, _ in c.selection = clamp(c.selection - 1, 0, max(0, count - 1)); return [] },
            KeyBinding([.down], help: "Next suggestion") { c, _ in c.selection = clamp(c.selection + 1, 0, max(0, count - 1)); return [] },
            KeyBinding([.enter], help: "Release the typed version, or the selected suggestion", footer: "release") { c, x in
                // The engine side validates it, as the CLI does.
                let typed = c.input.trimmingCharacters(in: " ")
                let version = typed.isEmpty ? x.state.home.suggestions[safe: c.selection] ?? "" : typed
                guard !version.isEmpty else { x.status = "Type the version to release."; return [] }
                return [.startRelease(version: version)]
            },
            KeyBinding([.escape], help: "Back home (nothing starts)", footer: "back") { _, x in x.navigation.back(); return [] },
        ]
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        input.edit(with: key) ? [] : nil
    }

    mutating func reset() { self = NewReleaseController() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        NewReleaseScreen(model: state.home, input: input, selected: selection, theme: theme).render(into: &grid, rect)
    }
}
