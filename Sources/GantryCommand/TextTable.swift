import Foundation

/// Plain aligned columns for terminal output.
enum TextTable {
    /// The rows as aligned lines. With `width` (a terminal's), column `shrinking` is cut
    /// with an ellipsis so each line fits; JSON output keeps the whole values.
    static func render(_ rows: [[String]], width: Int? = nil, shrinking column: Int? = nil) -> String {
        var widths = (0..<(rows.first?.count ?? 0)).map { col in rows.map { $0[col].count }.max() ?? 0 }
        if let width, let column, widths.indices.contains(column) {
            // Two leading spaces, two between columns; the last column is not padded.
            let total = 2 + widths.reduce(0, +) + 2 * (widths.count - 1)
            if total > width { widths[column] = max(8, widths[column] - (total - width)) }
        }
        return rows.map { row in
            "  " + row.enumerated().map { i, cell in
                let fitted = cell.count > widths[i] ? String(cell.prefix(widths[i] - 1)) + "…" : cell
                return i == row.count - 1 ? fitted : fitted.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }.joined().trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
    }

    /// The width of the terminal standard output is, or nil when it is not a terminal
    /// (a pipe or a file gets every value whole).
    static var terminalWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
    }
}
