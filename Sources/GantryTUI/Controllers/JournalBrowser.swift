/// The journal screen's navigation: the selected journal, followed by its id while the list
/// refreshes (new journals appear at the top), and the detail pane's scroll.
struct JournalBrowser: Hashable, Sendable {
    private var selectedID: String?
    private var index = 0
    private var detailScroll = 0
    /// The detail pane's last scroll position at the last render (its lines less a page).
    private var detailEnd = 0

    /// The index of the selected entry in `model`.
    func selectedIndex(in model: JournalViewModel) -> Int {
        selectedID.flatMap { id in model.entries.firstIndex { $0.id == id } } ?? clamp(index, 0, max(0, model.entries.count - 1))
    }

    func selected(in model: JournalViewModel) -> JournalViewModel.Entry? {
        model.entries[safe: selectedIndex(in: model)]
    }

    /// Moves the selection (the list) or scrolls the history (the detail pane).
    mutating func move(by delta: Int, on screen: ScreenID, model: JournalViewModel) {
        if screen == .journalDetail {
            detailScroll = clamp(detailScroll.addingReportingOverflow(delta).partialValue, 0, detailEnd)
            return
        }
        index = clamp(selectedIndex(in: model).addingReportingOverflow(delta).partialValue, 0, max(0, model.entries.count - 1))
        selectedID = model.entries[safe: index]?.id
    }

    /// Enter on the list: the detail pane opens at its top.
    mutating func openDetail(model: JournalViewModel) {
        index = selectedIndex(in: model)
        selectedID = model.entries[safe: index]?.id
        detailScroll = 0
    }

    /// Why `b` cannot roll back the selected journal now (the rollback flow's answer), or nil.
    func rollbackRefusal(model: JournalViewModel) -> String? {
        guard let entry = selected(in: model) else { return "no journal is selected" }
        return entry.rollbackRefusal
    }

    /// Notes how far the detail pane scrolls in `rect` (as less: the bottom shows a full page).
    mutating func layout(_ rect: Rect, model: JournalViewModel) {
        detailEnd = max(0, JournalDetailScreen.lines(of: selected(in: model), width: rect.width).count - rect.height)
        detailScroll = min(detailScroll, detailEnd)
    }

    func render(_ screen: ScreenID, model: JournalViewModel, into grid: inout CellGrid, _ rect: Rect, theme: Theme) {
        if screen == .journalDetail {
            JournalDetailScreen(entry: selected(in: model), scroll: detailScroll, theme: theme).render(into: &grid, rect)
        } else {
            JournalScreen(model: model, selected: selectedIndex(in: model), theme: theme).render(into: &grid, rect)
        }
    }
}
