import GantryEngine

/// Home → Release: a typed version (every printable key is text here), else the selected
/// suggestion. While the image has a half-published release, its version resumes it and any
/// other version asks first (Enter starts it anyway, r opens Recover, Esc goes back).
struct NewReleaseController: ScreenController {
    private var input = ""
    private var selection = 0
    /// The version asked for while the image has a half-published release: the dialog is open.
    private var unconfirmed: String?

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        if let version = unconfirmed {
            return [
                KeyBinding([.enter], help: "Start \(version) anyway", footer: "start anyway") { c, _ in
                    c.unconfirmed = nil
                    return [.startRelease(version: version)]
                },
                KeyBinding([.char("r")], help: "Open Recover, to finish the half-published release", footer: "recover") { c, x in
                    c.unconfirmed = nil
                    x.navigation.open(.recover)
                    return []
                },
                KeyBinding([.escape], help: "Back to the version (nothing starts)", footer: "back") { c, _ in c.unconfirmed = nil; return [] },
            ]
        }
        let count = state.home.suggestions.count
        return [
            KeyBinding([.up], help: "Previous suggestion") { c, _ in c.selection = clamp(c.selection - 1, 0, max(0, count - 1)); return [] },
            KeyBinding([.down], help: "Next suggestion") { c, _ in c.selection = clamp(c.selection + 1, 0, max(0, count - 1)); return [] },
            KeyBinding([.enter], help: "Release the typed version, or the selected suggestion", footer: "release") { c, x in
                // The engine side validates it, as the CLI does.
                let typed = c.input.trimmingCharacters(in: " ")
                let version = typed.isEmpty ? x.state.home.suggestions[safe: c.selection] ?? "" : typed
                guard !version.isEmpty else { x.status = "Type the version to release."; return [] }
                guard let half = x.state.home.halfPublished else { return [.startRelease(version: version)] }
                if (try? SemanticVersion.parse(version)) == (try? SemanticVersion.parse(half.version)) { return [.resume(id: half.id)] }
                c.unconfirmed = version
                return []
            },
            KeyBinding([.escape], help: "Back home (nothing starts)", footer: "back") { _, x in x.navigation.back(); return [] },
        ]
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        // The dialog's keys are keys, not text.
        guard unconfirmed == nil else { return nil }
        return input.edit(with: key) ? [] : nil
    }

    mutating func reset() { self = NewReleaseController() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        NewReleaseScreen(model: state.home, input: input, selected: selection, theme: theme).render(into: &grid, rect)
        if let version = unconfirmed, let half = state.home.halfPublished {
            HalfPublishedPrompt(warning: half.warning, version: version, theme: theme).render(into: &grid, rect)
        }
    }
}
