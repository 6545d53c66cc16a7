import Foundation
import GantryEngine

/// The command log: one row per activity, its local time and what was done.
public struct CommandLogScreen: Sendable {
    public var log: CommandLog
    /// How many activities the console saw, kept or not.
    public var total: Int
    public var selected: Int
    public var theme: Theme

    public init(log: CommandLog, total: Int, selected: Int, theme: Theme) {
        self.log = log
        self.total = total
        self.selected = selected
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        guard !log.entries.isEmpty else {
            grid.put("Nothing written or run yet: pushes, tag writes, read-backs and commands show here.", x: rect.x, y: rect.y, style: theme.style(.muted), limit: rect.width)
            return
        }
        let dropped = total - log.entries.count
        let heading = "What Gantry ran and wrote, oldest first" + (dropped > 0 ? " (the first \(dropped) dropped)" : "")
        grid.put(heading, x: rect.x, y: rect.y, style: theme.heading, limit: rect.width)
        let rows: [[TableCell]] = log.entries.map { [.text(Self.time($0.time), theme.style(.muted)), .plain(Sanitizer.clean($0.summary))] }
        Table(columns: [
            TableColumn("Time", width: 8, priority: 50),
            TableColumn("Done", width: 40, flexible: true, priority: 100),
        ], rows: rows, selected: selected).render(into: &grid, Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2), theme: theme)
    }

    /// `14:03:27`, local time.
    static func time(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return [parts.hour, parts.minute, parts.second].map { String(format2: $0 ?? 0) }.joined(separator: ":")
    }
}
