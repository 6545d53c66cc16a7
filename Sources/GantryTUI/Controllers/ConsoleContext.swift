/// What a key handler may read and change besides its own controller: the data shown, the
/// screen stack and the status line.
struct ConsoleContext {
    let state: ReleaseState
    var navigation: Navigation
    var status: String?
}

/// The screen shown, the dialog on top of it, and the way back.
struct Navigation: Sendable {
    private(set) var screen: ScreenID
    /// A dialog or the help screen on top of `screen`.
    private(set) var overlay: ScreenID?
    private var history: [ScreenID] = []
    /// Screens opened afresh since the console last looked: it resets their controllers
    /// (a new release starts with an empty version, a confirmation with nothing typed).
    private(set) var opened: [ScreenID] = []
    /// A live Home lies beneath this console (it was opened from there): Esc on the first
    /// screen goes back to it instead of to a Home screen this console has no data for.
    let homeBelow: Bool
    /// The console's first screen: Home, or a release view in the release console (which
    /// has no Home data for `:` jumps to show).
    let root: ScreenID

    init(screen: ScreenID, homeBelow: Bool = false) {
        self.screen = screen
        root = screen
        self.homeBelow = homeBelow
    }

    /// The screen that receives keys: the overlay if there is one.
    var active: ScreenID { overlay ?? screen }

    /// Opens `target`: a dialog goes on top; a screen is entered with the way back remembered.
    mutating func open(_ target: ScreenID) {
        opened.append(target)
        if target.isOverlay { overlay = target; return }
        guard target != screen else { return }
        history.append(screen)
        if history.count > 16 { history.removeFirst() }
        screen = target
        overlay = nil
    }

    /// Steps to a sibling view (←/→ through the release views) without adding to the way back.
    mutating func switchView(to target: ScreenID) { screen = target }

    /// Closes the dialog, else goes back to the previous screen; false on the console's first
    /// screen, where there is nothing to go back to.
    @discardableResult
    mutating func back() -> Bool {
        if overlay != nil {
            overlay = nil
            return true
        }
        guard let previous = history.popLast() else { return false }
        screen = previous
        return true
    }

    mutating func closeOverlay() { overlay = nil }

    /// The screens opened since the last call.
    mutating func takeOpened() -> [ScreenID] {
        defer { opened = [] }
        return opened
    }
}
