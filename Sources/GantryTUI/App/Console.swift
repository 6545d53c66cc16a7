import GantryEngine

/// The console: the data shown (`ReleaseState`), the screen stack, and one controller per
/// screen. Keys go to the controller of the screen shown and come out as `ConsoleIntent`s;
/// engine events go in through `apply(_:now:)`; `render(size:now:)` draws everything into a
/// `CellGrid`. It has no terminal and no clock of its own, so tests drive it directly and the
/// loop drives it live.
public struct Console: Sendable {
    public private(set) var state: ReleaseState
    public var theme: Theme
    /// A message shown in place of the footer (wrapped upwards when long) until the next key.
    public private(set) var status: String?
    /// True when something changed since the last `render`.
    public private(set) var isDirty = true
    /// Set when the engine side asks the loop to end the console (a release to start, say).
    public private(set) var exitRequest: ConsoleOutcome?

    private var navigation: Navigation
    private var shownSecond = -1
    private var home = HomeController()
    private var newRelease = NewReleaseController()
    private var release = ReleaseController()
    private var digests = DigestsController()
    private var pendingTags = PendingTagsController()
    private var publish = PublishController()
    private var audit = AuditController()
    private var recover = RecoverController()
    private var journal = JournalController()
    private var journalDetail = JournalDetailController()
    private var commandLog = CommandLogController()
    private var help = HelpController()
    private var confirm = ConfirmController()
    private var quitPrompt = QuitPromptController()
    private var publishWithout = PublishWithoutController()
    private var publishDigests = PublishDigestsController()
    private var jumpPrompt = JumpPromptController()

    /// `homeBelow`: the console was opened from a live Home, which Esc on its first screen returns to.
    public init(state: ReleaseState = ReleaseState(), screen: ScreenID = .home, homeBelow: Bool = false, theme: Theme) {
        self.state = state
        self.theme = theme
        navigation = Navigation(screen: screen, homeBelow: homeBelow)
    }

    /// The main screen being shown.
    public var screen: ScreenID { navigation.screen }
    /// A dialog or the help screen on top of `screen`.
    public var overlay: ScreenID? { navigation.overlay }
    /// The screen that receives keys: the overlay if there is one.
    public var activeScreen: ScreenID { navigation.active }

    /// Applies engine events (many at once: they are coalesced into one redraw).
    public mutating func apply(_ events: some Sequence<TUIEvent>, now: Double) {
        var failed = false
        for event in events {
            if case .platform(_, .failed, _) = event { failed = true }
            switch event {
            case .show(let target): navigation.open(target)
            case .status(let message): status = Sanitizer.clean(message)
            case .leave(let outcome): exitRequest = outcome
            default: state.apply(event, now: now)
            }
            isDirty = true
        }
        resetOpenedScreens()
        if failed { release.focusFirstFailed(state) }
    }

    /// Marks the screen dirty when the elapsed times shown would change (once a second while building).
    public mutating func tick(now: Double) {
        let second = Int(now)
        let counting = (screen == .release && state.release.isBuilding) || (screen == .publish && state.publish.registries.contains(where: \.isActive))
        guard second != shownSecond, counting else { return }
        isDirty = true
    }

    /// Forces a redraw (after a resize).
    public mutating func invalidate() { isDirty = true }

    /// Hands one key to the controller of the screen shown and returns what the engine side
    /// should do. A key its controller disables now says why in the status line instead.
    public mutating func handle(_ key: Key) -> [ConsoleIntent] {
        isDirty = true
        if activeScreen == .help { showHelpOfScreen() }
        var context = ConsoleContext(state: state, navigation: navigation, status: nil)
        let intents: [ConsoleIntent]?
        switch activeScreen {
        case .home: intents = home.handle(key, &context)
        case .newRelease: intents = newRelease.handle(key, &context)
        case .release: intents = release.handle(key, &context)
        case .digests: intents = digests.handle(key, &context)
        case .pendingTags: intents = pendingTags.handle(key, &context)
        case .publish: intents = publish.handle(key, &context)
        case .audit: intents = audit.handle(key, &context)
        case .recover: intents = recover.handle(key, &context)
        case .journal: intents = journal.handle(key, &context)
        case .journalDetail: intents = journalDetail.handle(key, &context)
        case .commandLog: intents = commandLog.handle(key, &context)
        case .help: intents = help.handle(key, &context)
        case .confirm: intents = confirm.handle(key, &context)
        case .quitPrompt: intents = quitPrompt.handle(key, &context)
        case .publishWithoutPrompt: intents = publishWithout.handle(key, &context)
        case .publishDigestsPrompt: intents = publishDigests.handle(key, &context)
        case .jumpPrompt: intents = jumpPrompt.handle(key, &context)
        }
        navigation = context.navigation
        status = context.status
        resetOpenedScreens()
        return intents ?? []
    }

    /// The bindings of `screen` as its controller gives them now: the footer, the help and
    /// the tests read them.
    func bindings(of screen: ScreenID) -> [BindingDescription] { controller(of: screen).descriptions(state) }

    private func controller(of screen: ScreenID) -> any ScreenController {
        switch screen {
        case .home: return home
        case .newRelease: return newRelease
        case .release: return release
        case .digests: return digests
        case .pendingTags: return pendingTags
        case .publish: return publish
        case .audit: return audit
        case .recover: return recover
        case .journal: return journal
        case .journalDetail: return journalDetail
        case .commandLog: return commandLog
        case .help: return help
        case .confirm: return confirm
        case .quitPrompt: return quitPrompt
        case .publishWithoutPrompt: return publishWithout
        case .publishDigestsPrompt: return publishDigests
        case .jumpPrompt: return jumpPrompt
        }
    }

    /// The help lists the bindings of the screen beneath it, as they are now.
    private mutating func showHelpOfScreen() {
        help.entries = bindings(of: screen)
        help.screen = screen
    }

    private mutating func resetOpenedScreens() {
        for opened in navigation.takeOpened() {
            switch opened {
            case .newRelease: newRelease.reset()
            case .audit: audit.reset()
            case .help: help.reset()
            case .confirm: confirm.reset()
            case .publishDigestsPrompt: publishDigests.reset()
            case .jumpPrompt: jumpPrompt.reset()
            case .commandLog: commandLog.reset()
            case .journalDetail:
                // The pane shows the list's selection, from its top.
                journalDetail.browser = journal.browser
                journalDetail.browser.openDetail(model: journal.shown(state))
            default: break
            }
        }
    }

    // MARK: - Drawing

    /// Draws the whole console at `size`, with elapsed times as of `now`, and clears `isDirty`.
    public mutating func render(size: GridSize, now: Double) -> CellGrid {
        isDirty = false
        shownSecond = Int(now)
        var grid = CellGrid(size: size)
        guard size.width >= 20, size.height >= 6 else {
            grid.put("Terminal too small", x: 0, y: 0, limit: size.width)
            return grid
        }
        renderTitle(into: &grid)
        let content = Rect(x: 1, y: 1, width: size.width - 2, height: size.height - 2)
        release.logPage = ReleaseScreen.logLines(content, rows: state.release.rows.count)
        if screen == .journalDetail { journalDetail.browser.layout(content, model: state.journal) }
        if overlay == .confirm { confirm.layout(content, state, theme: theme) }
        if overlay == .help { showHelpOfScreen() }
        controller(of: overlay == .help ? .help : screen).render(into: &grid, content, state, now: now, theme: theme)
        if let overlay, overlay != .help { controller(of: overlay).render(into: &grid, content, state, now: now, theme: theme) }
        renderFooter(into: &grid)
        return grid
    }

    private func renderTitle(into grid: inout CellGrid) {
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), style: theme.bar)
        var title = " gantry · " + (overlay == .help ? "Help" : screen.title)
        if ScreenID.releaseViews.contains(screen), !state.release.header.version.isEmpty {
            title += " · " + state.release.header.version
        }
        let used = grid.put(title, x: 0, y: 0, style: theme.bar.emphasised)
        guard ScreenID.releaseViews.contains(screen) else { return }
        let tabs = ScreenID.releaseViews.map { " " + ($0 == .pendingTags ? "Tags" : $0.title) + " " }
        let tabsWidth = tabs.reduce(0) { $0 + DisplayWidth.of($1) }
        guard used + tabsWidth + 2 <= grid.width else { return }
        var x = grid.width - tabsWidth - 1
        for (id, tab) in zip(ScreenID.releaseViews, tabs) {
            let current = id == screen
            x += grid.put(tab, x: x, y: 0, style: current ? CellStyle(bold: true, underline: true) : theme.bar)
        }
    }

    private func renderFooter(into grid: inout CellGrid) {
        let y = grid.height - 1
        if let status {
            renderStatus(status, into: &grid)
            return
        }
        if let filter = controller(of: activeScreen).filterLine(state) {
            grid.put(filter, x: 1, y: y, style: theme.style(.accent, bold: true), limit: grid.width - 2)
            return
        }
        // `? help` and `q quit` always show: other entries go, last first, when the line is full.
        var entries = bindings(of: activeScreen).filter { $0.footer != nil }
        let width = { (e: [BindingDescription]) in e.reduce(0) { $0 + DisplayWidth.of($1.keys[0].description) + DisplayWidth.of($1.footer ?? "") + 3 } }
        while width(entries) > grid.width - 2, let last = entries.lastIndex(where: { !$0.isPinned }) {
            entries.remove(at: last)
        }
        var spans: [TextSpan] = []
        for entry in entries {
            spans.append(TextSpan(entry.keys[0].description, entry.disabledReason != nil ? theme.style(.muted) : theme.style(.accent, bold: true)))
            spans.append(TextSpan(" " + (entry.footer ?? "") + "  ", theme.style(.muted)))
        }
        grid.put(StyledLine(spans), x: 1, y: y, limit: grid.width - 2)
    }

    /// A status longer than the footer wraps upwards over the screen's last lines, up to a
    /// third of the screen, so an error is read whole rather than cut at the edge.
    private func renderStatus(_ status: String, into grid: inout CellGrid) {
        var lines = TextFit.wrap(status, width: grid.width - 2)
        let most = max(1, grid.height / 3)
        if lines.count > most {
            lines = Array(lines.prefix(most))
            lines[most - 1] = TextFit.truncate(lines[most - 1] + " …", to: grid.width - 2)
        }
        let top = grid.height - lines.count
        grid.fill(Rect(x: 0, y: top, width: grid.width, height: lines.count))
        for (n, line) in lines.enumerated() {
            grid.put(line, x: 1, y: top + n, style: theme.style(.warning, bold: true), limit: grid.width - 2)
        }
    }
}

func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { min(max(v, low), high) }

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
