import GantryEngine

/// The console's whole state machine: data (`ReleaseState`), navigation, and input fields.
///
/// Keys go in through `handle(_:)` and come out as `ConsoleIntent`s; engine events go in
/// through `apply(_:now:)`; `render(size:now:)` draws everything into a `CellGrid`. It has
/// no terminal and no clock of its own, so tests drive it directly and the loop drives it live.
public struct Console: Sendable {
    public private(set) var state: ReleaseState
    public let keymap: Keymap
    public var theme: Theme
    /// The main screen being shown.
    public private(set) var screen: ScreenID
    /// A dialog or the help screen on top of `screen`.
    public private(set) var overlay: ScreenID?
    /// A one-line message shown in place of the footer until the next key.
    public private(set) var status: String?
    /// True when something changed since the last `render`.
    public private(set) var isDirty = true
    /// Set when the engine side asks the loop to end the console (a release to start, say).
    public private(set) var exitRequest: ConsoleOutcome?

    private var history: [ScreenID] = []
    private var selection: [ScreenID: Int] = [:]
    private var releasePane = ReleasePane.matrix
    private var logScroll = 0
    private var auditInput = ""
    private var versionInput = ""
    private var auditPane = AuditPane.input
    private var auditFinding = 0
    private var confirmTyped = ""
    private var confirmError: String?
    private var shownSecond = -1
    /// Log lines the release screen showed at the last render (scrolling stops a page from the top).
    private var logPage = 1

    public init(state: ReleaseState = ReleaseState(), screen: ScreenID = .home, theme: Theme, keymap: Keymap = .standard) {
        self.state = state
        self.screen = screen
        self.theme = theme
        self.keymap = keymap
    }

    /// The screen that receives keys: the overlay if there is one.
    public var activeScreen: ScreenID { overlay ?? screen }

    /// Applies engine events (many at once: they are coalesced into one redraw).
    public mutating func apply(_ events: some Sequence<TUIEvent>, now: Double) {
        var failed = false
        defer { if failed { focusFailedRow() } }
        for event in events {
            if case .platform(_, .failed) = event { failed = true }
            switch event {
            case .show(let target): navigate(to: target)
            case .status(let message): status = Sanitizer.clean(message)
            case .leave(let outcome): exitRequest = outcome
            default: state.apply(event, now: now)
            }
            isDirty = true
        }
    }

    /// A platform failed: unless a failed row is already selected, select the first one, so
    /// its error, `R` and `P` are where the eye is.
    private mutating func focusFailedRow() {
        let rows = state.release.rows
        guard let first = rows.firstIndex(where: { $0.state == .failed }),
              rows[safe: selection[.release] ?? 0]?.state != .failed else { return }
        selection[.release] = first
        logScroll = 0
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

    /// Handles one key and returns what the engine side should do. A key whose action the
    /// release flow does not allow now says why in the status line instead.
    public mutating func handle(_ key: Key) -> [ConsoleIntent] {
        isDirty = true
        status = nil
        if let intents = handleTextInput(key) { return intents }
        guard let action = keymap.action(for: key, on: activeScreen) else { return [] }
        if let reason = disabledReason(for: action) {
            status = reason
            return []
        }
        return perform(action)
    }

    /// Why `action` is not available now (from the release flow's answers), or nil.
    public func disabledReason(for action: KeyAction) -> String? {
        let selected = state.release.rows[safe: selection[.release] ?? 0]?.platform
        switch action {
        case .publish:
            return state.availability.publish.reason
        case .retryPlatform:
            guard let selected else { return "no platform is selected" }
            return (state.availability.retry[selected] ?? .refused("\(selected) cannot be built again now")).reason
        case .cancelPlatform:
            guard let selected else { return "no platform is selected" }
            return (state.availability.cancel[selected] ?? .refused("\(selected) is not building")).reason
        case .publishWithout:
            return state.availability.publishWithout.reason
        default:
            return nil
        }
    }


    // MARK: - Actions

    private mutating func perform(_ action: KeyAction) -> [ConsoleIntent] {
        switch action {
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -10)
        case .pageDown: move(by: 10)
        case .top: move(by: Int.min / 2)
        case .bottom: move(by: Int.max / 2)
        case .previousView, .nextView:
            let views = ScreenID.releaseViews
            let i = views.firstIndex(of: screen) ?? 0
            let next = (i + (action == .nextView ? 1 : views.count - 1)) % views.count
            screen = views[next]
        case .open: return open()
        case .switchPane:
            if screen == .release { releasePane = releasePane == .matrix ? .log : .matrix }
            if screen == .audit { auditPane = auditPane.next(hasFindings: !state.audit.findings.isEmpty) }
        case .back:
            if overlay == .confirm {
                status = "Publishing cancelled: nothing was published."
                overlay = nil
                return [.decline]
            }
            if overlay != nil { overlay = nil } else if screen == .release, releasePane == .log { releasePane = .matrix } else { screen = history.popLast() ?? .home }
        case .help: overlay = .help; selection[.help] = 0
        case .quit:
            if state.release.isBuilding { overlay = .quitPrompt } else { return [.quit] }
        case .show(let target): navigate(to: target)
        case .publish:
            overlay = .confirm
            confirmTyped = ""
            confirmError = nil
        case .publishWithout:
            overlay = .publishWithoutPrompt
        case .retryPlatform:
            if let row = state.release.rows[safe: selection[.release] ?? 0] { return [.retry(row.platform)] }
        case .cancelPlatform:
            if let row = state.release.rows[safe: selection[.release] ?? 0] { return [.cancel(row.platform)] }
        case .editReference: auditPane = .input
        case .inspect:
            if let r = state.recover.releases[safe: selection[.recover] ?? 0] { return [.inspect(id: r.id)] }
        case .dismiss:
            if let r = state.recover.releases[safe: selection[.recover] ?? 0] { return [.dismiss(id: r.id)] }
        case .answerYes:
            let prompt = overlay
            overlay = nil
            if prompt == .publishWithoutPrompt { return [.publishWithout(state.availability.missing)] }
            return [.cancelBuilds, .quit]
        case .answerNo: overlay = nil
        }
        return []
    }

    private mutating func open() -> [ConsoleIntent] {
        switch activeScreen {
        case .home:
            switch HomeItem(rawValue: selection[.home] ?? 0) ?? .release {
            case .release: navigate(to: .newRelease); versionInput = ""; selection[.newRelease] = 0
            case .audit: navigate(to: .audit); auditPane = .input
            case .recover: navigate(to: .recover)
            }
        case .release:
            releasePane = .log
            logScroll = 0
        case .audit:
            if auditPane == .tags, let tag = state.audit.candidateTags[safe: selection[.audit] ?? 0] {
                auditInput = state.home.image.isEmpty ? tag : "\(state.home.image):\(tag)"
                (auditPane, auditFinding) = (.findings, 0)
                return [.audit(reference: auditInput)]
            }
            if auditPane == .findings, let finding = state.audit.findings[safe: auditFinding] {
                // The engine chose the repair, or said why there is none: the console passes it on.
                guard let repair = finding.repair else { status = finding.advice; return [] }
                return [.repair(repair)]
            }
        case .recover:
            if let r = state.recover.releases[safe: selection[.recover] ?? 0] {
                // The flow's answer, computed with the list: the console stays open and says why.
                if let refusal = r.resumeRefusal {
                    status = refusal
                    return []
                }
                navigate(to: .release)
                return [.resume(id: r.id)]
            }
        case .newRelease:
            // What was typed, else the suggestion selected; the engine side validates it.
            let typed = versionInput.trimmingCharacters(in: " ")
            let version = typed.isEmpty ? state.home.suggestions[safe: selection[.newRelease] ?? 0] ?? "" : typed
            guard !version.isEmpty else { status = "Type the version to release."; return [] }
            return [.startRelease(version: version)]
        case .confirm: return confirm()
        default: break
        }
        return []
    }

    private mutating func confirm() -> [ConsoleIntent] {
        let version = state.pendingTags.version
        if state.pendingTags.requiresTypedVersion, confirmTyped != version {
            confirmError = confirmTyped.isEmpty ? "Type \(version) to move existing tags." : "\"\(confirmTyped)\" is not \(version)."
            return []
        }
        overlay = nil
        navigate(to: .publish)
        return [.publish(typedVersion: state.pendingTags.requiresTypedVersion ? confirmTyped : nil)]
    }

    /// Keys typed into the confirmation field, the audit reference or the new release's version.
    private mutating func handleTextInput(_ key: Key) -> [ConsoleIntent]? {
        let editingAudit = overlay == nil && screen == .audit && auditPane == .input
        if overlay == nil, screen == .newRelease {
            switch key {
            case .char(let c): versionInput += Sanitizer.clean(String(c)); return []
            case .backspace: _ = versionInput.popLast(); return []
            case .ctrl("u"): versionInput = ""; return []
            default: return nil
            }
        }
        guard overlay == .confirm || editingAudit else { return nil }
        switch key {
        case .char(let c):
            let clean = Sanitizer.clean(String(c))
            if overlay == .confirm { confirmTyped += clean; confirmError = nil } else { auditInput += clean }
            return []
        case .backspace:
            if overlay == .confirm { _ = confirmTyped.popLast() } else { _ = auditInput.popLast() }
            return []
        case .enter where editingAudit:
            let reference = auditInput.trimmingCharacters(in: " ")
            guard !reference.isEmpty else { return [] }
            (auditPane, auditFinding) = (.findings, 0)
            return [.audit(reference: reference)]
        default:
            return nil
        }
    }

    private mutating func navigate(to target: ScreenID) {
        guard target != screen else { return }
        if [.help, .confirm, .quitPrompt, .publishWithoutPrompt].contains(target) { overlay = target; return }
        history.append(screen)
        if history.count > 16 { history.removeFirst() }
        screen = target
        overlay = nil
    }

    private mutating func move(by delta: Int) {
        let target = activeScreen
        if target == .audit, auditPane == .findings {
            auditFinding = clamp(auditFinding.addingReportingOverflow(delta).partialValue, 0, max(0, state.audit.findings.count - 1))
            return
        }
        if target == .release, releasePane == .log {
            // As less: the top shows the first page (not the first line alone), the bottom follows.
            let count = state.release.rows[safe: selection[.release] ?? 0]?.log.count ?? 0
            logScroll = clamp(logScroll - delta, 0, max(0, count - logPage))
            return
        }
        let count: Int
        switch target {
        case .home: count = HomeItem.allCases.count
        case .release: count = state.release.rows.count
        case .digests: count = state.digests.rows.count
        case .pendingTags: count = state.pendingTags.rows.count
        case .publish: count = state.publish.verifications.count
        case .audit: count = auditPane == .tags ? state.audit.candidateTags.count : 0
        case .recover: count = state.recover.releases.count
        case .newRelease: count = state.home.suggestions.count
        case .help: count = keymap.bindings(on: screen).count
        case .confirm, .quitPrompt, .publishWithoutPrompt: count = 0
        }
        let current = selection[target] ?? 0
        let next = clamp(current.addingReportingOverflow(delta).partialValue, 0, max(0, count - 1))
        if next != current, target == .release { logScroll = 0 }
        selection[target] = next
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
        logPage = ReleaseScreen.logLines(content, rows: state.release.rows.count)
        let shown = overlay == .help ? ScreenID.help : screen
        renderScreen(shown, into: &grid, content, now: now)
        switch overlay {
        case .confirm:
            ConfirmDialog(model: state.pendingTags, typed: confirmTyped, error: confirmError, theme: theme).render(into: &grid, content)
        case .quitPrompt:
            QuitPrompt(running: state.release.rows.filter { $0.state.isActive }.count, theme: theme).render(into: &grid, content)
        case .publishWithoutPrompt:
            PublishWithoutPrompt(platforms: state.availability.missing, theme: theme).render(into: &grid, content)
        default: break
        }
        renderFooter(into: &grid)
        return grid
    }

    private func renderScreen(_ id: ScreenID, into grid: inout CellGrid, _ rect: Rect, now: Double) {
        let selected = selection[id] ?? 0
        switch id {
        case .home:
            HomeScreen(model: state.home, selected: selected, theme: theme).render(into: &grid, rect)
        case .release:
            let row = clamp(selected, 0, max(0, state.release.rows.count - 1))
            ReleaseScreen(model: state.release, selected: row, pane: releasePane, logScroll: logScroll, now: now, theme: theme).render(into: &grid, rect)
        case .digests:
            DigestsScreen(model: state.digests, selected: selected, theme: theme).render(into: &grid, rect)
        case .pendingTags:
            PendingTagsScreen(model: state.pendingTags, selected: selected, theme: theme).render(into: &grid, rect)
        case .publish:
            PublishScreen(model: state.publish, selected: selected, now: now, theme: theme).render(into: &grid, rect)
        case .audit:
            AuditScreen(model: state.audit, input: auditInput, pane: auditPane, selectedTag: selected, selectedFinding: auditFinding, theme: theme).render(into: &grid, rect)
        case .recover:
            RecoverScreen(model: state.recover, selected: selected, theme: theme).render(into: &grid, rect)
        case .newRelease:
            NewReleaseScreen(model: state.home, input: versionInput, selected: selected, theme: theme).render(into: &grid, rect)
        case .help:
            let disabled = Dictionary(keymap.bindings(on: screen).compactMap { b in disabledReason(for: b.action).map { (b.action, $0) } }) { a, _ in a }
            HelpScreen(keymap: keymap, screen: screen, scroll: selected, disabled: disabled, theme: theme).render(into: &grid, rect)
        case .confirm, .quitPrompt, .publishWithoutPrompt:
            break
        }
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
            grid.put(status, x: 1, y: y, style: theme.style(.warning, bold: true), limit: grid.width - 2)
            return
        }
        // `? help` and `q quit` always show: other entries go, last first, when the line is full.
        var entries = keymap.footer(on: activeScreen)
        let width = { (e: [(key: String, label: String, action: KeyAction)]) in e.reduce(0) { $0 + DisplayWidth.of($1.key) + DisplayWidth.of($1.label) + 3 } }
        while width(entries) > grid.width - 2, let last = entries.lastIndex(where: { $0.action != .help && $0.action != .quit }) {
            entries.remove(at: last)
        }
        var spans: [TextSpan] = []
        for entry in entries {
            let disabled = disabledReason(for: entry.action) != nil
            spans.append(TextSpan(entry.key, disabled ? theme.style(.muted) : theme.style(.accent, bold: true)))
            spans.append(TextSpan(" " + entry.label + "  ", theme.style(.muted)))
        }
        grid.put(StyledLine(spans), x: 1, y: y, limit: grid.width - 2)
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
