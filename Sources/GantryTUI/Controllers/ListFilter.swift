/// A list's `/` filter, as in k9s: the typed text narrows the rows to those containing it
/// (any case); Enter keeps it and returns to the list, Esc clears it.
struct ListFilter: Sendable {
    private(set) var text = ""
    private(set) var isEditing = false

    var isActive: Bool { isEditing || !text.isEmpty }

    mutating func begin() { isEditing = true }

    /// Keys while the filter is typed, and Esc while one is set; false for keys it leaves to the list.
    mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .escape where isActive: text = ""; isEditing = false
        case .enter where isEditing: isEditing = false
        default: return isEditing && text.edit(with: key)
        }
        return true
    }

    /// The rows whose words contain the text.
    func apply<Row>(_ rows: [Row], _ words: (Row) -> String) -> [Row] {
        guard !text.isEmpty else { return rows }
        return rows.filter { words($0).localizedCaseInsensitiveContains(text) }
    }

    /// The footer while it is typed or set: `/arm▏` then `/arm · 2 of 6 · Esc clears`.
    func line(shown: Int, of total: Int) -> String {
        isEditing ? "/\(text)▏  \(shown) of \(total)  Enter keep  Esc clear" : "/\(text) · \(shown) of \(total) · Esc clears"
    }
}

/// A list screen with a `/` filter: its rows, selection and drawing go through `filtered`.
protocol FilteredList: ListController {
    var filter: ListFilter { get set }
    /// `state` with this screen's rows narrowed by the filter.
    func filtered(_ state: ReleaseState) -> ReleaseState
    /// The rows before filtering (for "2 of 6").
    func unfilteredCount(_ state: ReleaseState) -> Int
}

extension FilteredList {
    static var filtering: KeyBinding<Self> {
        KeyBinding([.char("/")], help: "Filter the list (Enter keeps it, Esc clears it)", footer: "filter") { c, _ in
            c.filter.begin()
            return []
        }
    }

    /// Filter keys come first; a changed filter starts the selection at its first row.
    mutating func handleFilter(_ key: Key) -> [ConsoleIntent]? {
        let before = filter.text
        guard filter.handle(key) else { return nil }
        if filter.text != before { selection = 0 }
        return []
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? { handleFilter(key) }

    func filterLine(_ state: ReleaseState) -> String? {
        filter.isActive ? filter.line(shown: rowCount(state), of: unfilteredCount(state)) : nil
    }
}
