/// The release matrix and the selected platform's log; `R`, `x` and `P` act on the selected
/// platform as the release flow allows, and say why not when it does not.
struct ReleaseController: FilteredList {
    var selection = 0
    var filter = ListFilter()
    private var pane = ReleasePane.matrix
    private var logScroll = 0
    /// Log lines shown at the last render: scrolling stops a page from the top, as in less.
    var logPage = 1

    static let rows = \ReleaseState.release.rows
    static func words(_ row: PlatformRow) -> String { "\(row.platform) \(row.builder) \(row.state)" }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        if pane == .log {
            let count = filtered(state).release.rows[safe: selection]?.log.count ?? 0
            logScroll = clamp(logScroll.addingReportingOverflow(-delta).partialValue, 0, max(0, count - logPage))
            return []
        }
        let next = clamp(selection.addingReportingOverflow(delta).partialValue, 0, max(0, rowCount(state) - 1))
        if next != selection { logScroll = 0 }
        selection = next
        return []
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        let state = filtered(state)
        let selected = state.release.rows[safe: selection]?.platform
        let retry = selected.map { (state.availability.retry[$0] ?? .refused("\($0) cannot be built again now")).reason } ?? "no platform is selected"
        let cancel = selected.map { (state.availability.cancel[$0] ?? .refused("\($0) is not building")).reason } ?? "no platform is selected"
        return Self.movement + ReleaseViewBindings.views() + [
            KeyBinding([.enter], help: "Open the selected item", footer: "open") { c, _ in
                c.pane = .log
                c.logScroll = 0
                return []
            },
            KeyBinding([.tab], help: "Switch pane (matrix and log)", footer: "pane") { c, _ in
                c.pane = c.pane == .matrix ? .log : .matrix
                return []
            },
            ReleaseViewBindings.digests(), ReleaseViewBindings.pendingTags(), ReleaseViewBindings.publish(state),
            KeyBinding([.char("R")], help: "Build the selected failed or cancelled platform again", footer: "retry", disabledReason: retry) { _, _ in
                selected.map { [.retry($0)] } ?? []
            },
            KeyBinding([.char("x")], help: "Cancel the selected platform's build", footer: "cancel", disabledReason: cancel) { _, _ in
                selected.map { [.cancel($0)] } ?? []
            },
            ReleaseViewBindings.publishWithout(state), Self.filtering,
            // Esc leaves the log pane first, then the screen.
            SharedBindings.back { c, x in
                if c.pane == .log {
                    c.pane = .matrix
                    return []
                }
                return x.navigation.back() ? [] : SharedBindings.leaveFirstScreen(&x)
            },
            SharedBindings.jump(), SharedBindings.help(), SharedBindings.quit(),
        ]
    }

    /// A platform failed: unless a failed row is already selected, select the first one, so
    /// its error, `R` and `P` are where the eye is.
    mutating func focusFirstFailed(_ state: ReleaseState) {
        let rows = filtered(state).release.rows
        guard let first = rows.firstIndex(where: { $0.state == .failed }), rows[safe: selection]?.state != .failed else { return }
        selection = first
        logScroll = 0
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        let state = filtered(state)
        let row = clamp(selection, 0, max(0, state.release.rows.count - 1))
        ReleaseScreen(model: state.release, selected: row, pane: pane, logScroll: logScroll, now: now, theme: theme).render(into: &grid, rect)
    }
}
