/// A list's `/` filter, as in k9s: the typed text narrows the rows to those containing it
/// (any case); Enter keeps it and returns to the list, Esc clears it.
struct ListFilter: Sendable {
    private(set) var text = ""
    private(set) var isEditing = false

    var isActive: Bool { isEditing || !text.isEmpty }

    mutating func begin() { isEditing = true }

    /// Keys while the filter is typed, and Esc while one is set; false for keys it leaves to
    /// the list. A changed filter starts the list's selection at its first row.
    mutating func handle(_ key: Key, selection: inout Int) -> Bool {
        let before = text
        switch key {
        case .escape where isActive: text = ""; isEditing = false
        case .enter where isEditing: isEditing = false
        default: guard isEditing, text.edit(with: key) else { return false }
        }
        if text != before { selection = 0 }
        return true
    }

    /// The rows whose words contain the text.
    func apply<Row>(_ rows: [Row], _ words: (Row) -> String) -> [Row] {
        guard !text.isEmpty else { return rows }
        return rows.filter { words($0).localizedCaseInsensitiveContains(text) }
    }

    /// `/`: starts typing a filter (`begin` reaches the controller's filter).
    static func binding<C>(_ begin: @escaping (inout C) -> Void) -> KeyBinding<C> {
        KeyBinding([.char("/")], help: "Filter the list (Enter keeps it, Esc clears it)", footer: "filter") { c, _ in
            begin(&c)
            return []
        }
    }

    /// The footer while it is typed or set: `/arm▏` then `/arm · 2 of 6 · Esc clears`.
    func line(shown: Int, of total: Int) -> String {
        isEditing ? "/\(text)▏  \(shown) of \(total)  Enter keep  Esc clear" : "/\(text) · \(shown) of \(total) · Esc clears"
    }
}

/// A list screen with a `/` filter over some rows of the state: its row count, selection
/// and drawing go through `filtered`.
protocol FilteredList: ListController {
    associatedtype Row
    var filter: ListFilter { get set }
    /// The rows the filter narrows.
    static var rows: any WritableKeyPath<ReleaseState, [Row]> & Sendable { get }
    /// The words of a row the filter looks in.
    static func words(_ row: Row) -> String
}

extension FilteredList {
    /// `state` with this screen's rows narrowed by the filter.
    func filtered(_ state: ReleaseState) -> ReleaseState {
        var state = state
        state[keyPath: Self.rows] = filter.apply(state[keyPath: Self.rows], Self.words)
        return state
    }

    func rowCount(_ state: ReleaseState) -> Int { filter.apply(state[keyPath: Self.rows], Self.words).count }

    static var filtering: KeyBinding<Self> { ListFilter.binding { $0.filter.begin() } }

    /// Filter keys come before the bindings.
    mutating func handleFilter(_ key: Key) -> [ConsoleIntent]? {
        var (changed, row) = (filter, selection)  // both are this controller's: one access each
        guard changed.handle(key, selection: &row) else { return nil }
        (filter, selection) = (changed, row)
        return []
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? { handleFilter(key) }

    func filterLine(_ state: ReleaseState) -> String? {
        filter.isActive ? filter.line(shown: rowCount(state), of: state[keyPath: Self.rows].count) : nil
    }
}
