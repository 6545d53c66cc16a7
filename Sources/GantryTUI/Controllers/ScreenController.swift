/// One screen's keys, state and drawing (lazygit's controllers): the console keeps only the
/// screen stack and hands each key to the controller of the screen shown.
protocol ScreenController: Sendable {
    /// This screen's bindings for `state`, in the order the help lists them.
    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>]
    /// A key typed into this screen's text field, before the bindings; nil when it is not text here.
    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]?
    /// The screen was opened afresh (not returned to).
    mutating func reset()
    /// What the footer shows instead of the keys while a filter is typed or set.
    func filterLine(_ state: ReleaseState) -> String?
    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme)
}

extension ScreenController {
    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? { nil }
    mutating func reset() {}
    func filterLine(_ state: ReleaseState) -> String? { nil }

    /// The bindings as the footer and the help show them.
    func descriptions(_ state: ReleaseState) -> [BindingDescription] { bindings(state).map(\.description) }

    /// Runs the binding of `key`, or puts its disabled reason in the status line; nil when no binding has the key.
    mutating func handle(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        if let intents = handleText(key, &context) { return intents }
        guard let binding = bindings(context.state).first(where: { $0.keys.contains(key) }) else { return nil }
        if let reason = binding.disabledReason {
            context.status = reason
            return []
        }
        return binding.handler(&self, &context)
    }
}

/// A screen with a list whose row is selected with the arrows.
protocol ListController: ScreenController {
    var selection: Int { get set }
    func rowCount(_ state: ReleaseState) -> Int
    /// Moves the selection (a screen with a scrolling pane may move that instead).
    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent]
}

extension ListController {
    /// ↑↓, pages, top and bottom.
    static var movement: [KeyBinding<Self>] { SharedBindings.movement { c, delta, state in _ = c.move(by: delta, state) } }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        selection = clamp(selection.addingReportingOverflow(delta).partialValue, 0, max(0, rowCount(state) - 1))
        return []
    }
}

/// Bindings several screens share, defined once.
enum SharedBindings {
    /// ↑↓, pages, top and bottom, each a `move` by that many rows.
    static func movement<C>(_ move: @escaping (inout C, Int, ReleaseState) -> Void) -> [KeyBinding<C>] {
        [
            ([.up, .char("k")], "Move up", -1), ([.down, .char("j")], "Move down", 1),
            ([.pageUp, .ctrl("b")], "Page up", -10), ([.pageDown, .ctrl("f")], "Page down", 10),
            ([.home, .char("g")], "Go to the top", Int.min / 2), ([.end, .char("G")], "Go to the bottom (and follow the log)", Int.max / 2),
        ].map { (keys: [Key], help: String, delta: Int) in
            KeyBinding(keys, help: help) { c, x in
                move(&c, delta, x.state)
                return []
            }
        }
    }

    /// Esc: back to the previous screen, or what `handler` does first on this screen.
    static func back<C>(_ handler: @escaping KeyBinding<C>.Handler = { _, x in x.navigation.back() ? [] : SharedBindings.leaveFirstScreen(&x) }) -> KeyBinding<C> {
        KeyBinding([.escape], help: "Back, or close the dialog (nothing is published)", footer: "back", handler)
    }

    /// Esc on a console's first screen: back to the live Home beneath it, once no build runs
    /// (leaving cancels them, which only `q` asks about); without a Home beneath, how to leave.
    static func leaveFirstScreen(_ x: inout ConsoleContext) -> [ConsoleIntent] {
        if x.navigation.screen == .home { return [] }
        guard x.navigation.homeBelow else {
            x.status = "This is the first screen: q leaves."
            return []
        }
        guard !x.state.release.isBuilding else {
            x.status = "Builds are running: Esc goes Home once they end; q asks to cancel them and quit."
            return []
        }
        return [.home]
    }

    static func help<C>() -> KeyBinding<C> {
        KeyBinding([.char("?")], help: "Show this help", footer: "help", isPinned: true) { _, x in
            x.navigation.open(.help)
            return []
        }
    }

    /// Quits at once when nothing builds; asks first while builds run.
    static func quit<C>() -> KeyBinding<C> {
        KeyBinding([.char("q")], help: "Quit (asks first while builds run, then cancels them)", footer: "quit", isPinned: true) { _, x in
            guard x.state.release.isBuilding else { return [.quit] }
            x.navigation.open(.quitPrompt)
            return []
        }
    }

    /// `D` on the journal and recover screens: the dialog for a CI run's digests.
    static func publishDigests<C>() -> KeyBinding<C> {
        KeyBinding([.char("D")], help: "Publish a CI run's digests or buildx metadata files (asks for the version and paths)", footer: "digests") { _, x in
            x.navigation.open(.publishDigestsPrompt)
            return []
        }
    }

    /// `L`: what Gantry ran and wrote, with times.
    static func commandLog<C>() -> KeyBinding<C> {
        KeyBinding([.char("L")], help: "Show the command log: the pushes, index and tag writes, read-backs and commands Gantry ran, with times") { _, x in
            x.navigation.open(.commandLog)
            return []
        }
    }

    /// `:`: the jump prompt (k9s's command line); a screen whose text field has the keyboard
    /// takes `:` as text before this binding is looked up.
    static func jump<C>() -> KeyBinding<C> {
        KeyBinding([.char(":")], help: "jump (audit REF, release V, journal, recover, home)") { _, x in
            x.navigation.open(.jumpPrompt)
            return []
        }
    }

    /// Esc, :, ? and q, as every main screen ends its list.
    static func closing<C>() -> [KeyBinding<C>] { [back(), jump(), help(), quit()] }
}
