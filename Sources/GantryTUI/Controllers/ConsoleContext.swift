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

    init(screen: ScreenID) { self.screen = screen }

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

    /// Closes the dialog, else goes back to the previous screen (home at the bottom).
    mutating func back() {
        if overlay != nil { overlay = nil } else { screen = history.popLast() ?? .home }
    }

    mutating func closeOverlay() { overlay = nil }

    /// The screens opened since the last call.
    mutating func takeOpened() -> [ScreenID] {
        defer { opened = [] }
        return opened
    }
}
