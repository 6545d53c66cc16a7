/// The release matrix and the selected platform's log; `R`, `x` and `P` act on the selected
/// platform as the release flow allows, and say why not when it does not. A family's matrix
/// is grouped by image: Enter on an image's line folds or unfolds it, and `/` matches images too.
struct ReleaseController: FilteredList {
    /// The selected line of the (filtered) matrix: a platform, or an image's header in a family.
    var selection = 0
    var filter = ListFilter()
    /// The images folded to their header line.
    private(set) var collapsed: Set<String> = []
    private var pane = ReleasePane.matrix
    private var logScroll = 0
    /// Log lines shown at the last render: scrolling stops a page from the top, as in less.
    var logPage = 1

    static let rows = \ReleaseState.release.rows
    static func words(_ row: PlatformRow) -> String { "\(row.image ?? "") \(row.platform) \(row.builder) \(row.state)" }

    /// The matrix's lines after the filter and the folds.
    private func lines(_ filtered: ReleaseState) -> [MatrixLine] { filtered.release.lines(collapsed: collapsed) }

    /// The selected platform's row; nil when an image's header is selected.
    private func selectedRow(_ filtered: ReleaseState) -> PlatformRow? {
        lines(filtered)[safe: selection]?.row.map { filtered.release.rows[$0] }
    }

    mutating func move(by delta: Int, _ state: ReleaseState) -> [ConsoleIntent] {
        let state = filtered(state)
        if pane == .log {
            let count = selectedRow(state)?.log.count ?? 0
            logScroll = clamp(logScroll.addingReportingOverflow(-delta).partialValue, 0, max(0, count - logPage))
            return []
        }
        let next = clamp(selection.addingReportingOverflow(delta).partialValue, 0, max(0, lines(state).count - 1))
        if next != selection { logScroll = 0 }
        selection = next
        return []
    }

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        let state = filtered(state)
        let selected = selectedRow(state)?.platform
        let retry = selected.map { (state.availability.retry[$0] ?? .refused("\($0) cannot be built again now")).reason } ?? "no platform is selected"
        let cancel = selected.map { (state.availability.cancel[$0] ?? .refused("\($0) is not building")).reason } ?? "no platform is selected"
        let image: String? = if case .image(let name, _, _)? = lines(state)[safe: selection] { name } else { nil }
        return Self.movement + ReleaseViewBindings.views() + [
            KeyBinding([.enter], help: "Open the platform's log; on an image, fold or unfold it", footer: "open") { c, _ in
                if let image {
                    if c.collapsed.remove(image) == nil { c.collapsed.insert(image) }
                    return []
                }
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
    /// Its image is unfolded, so the failure shows.
    mutating func focusFirstFailed(_ state: ReleaseState) {
        let state = filtered(state)
        guard selectedRow(state)?.state != .failed, let failed = state.release.rows.first(where: { $0.state == .failed }) else { return }
        if let image = failed.image { collapsed.remove(image) }
        guard let line = lines(state).firstIndex(where: { $0.row.map { state.release.rows[$0].key } == failed.key }) else { return }
        selection = line
        logScroll = 0
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        let state = filtered(state)
        let line = clamp(selection, 0, max(0, lines(state).count - 1))
        ReleaseScreen(model: state.release, selected: line, collapsed: collapsed, pane: pane, logScroll: logScroll, now: now, theme: theme)
            .render(into: &grid, rect)
    }
}
