import GantryEngine
import Testing
@testable import GantryTUI

/// At 80×24 the width goes where the information is: tags and platform names whole, empty
/// columns collapsed, a long error read whole.
@Suite(.timeLimit(.minutes(1))) struct ContentWidthTests {
    static let size = GridSize(width: 80, height: 24)

    static func screen(_ console: inout Console) -> [String] {
        console.render(size: size, now: 100).render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("tags that differ only past their eighth character are each shown whole")
    func tagsWhole() {
        let tags = ["2.0.0-bookworm", "2.0-bookworm", "2-bookworm", "2.0.0-bookworm-slim", "2.0-bookworm-slim", "2-bookworm-slim", "2.0.0-alpine3.20"]
        let new = Sample.digest("index-2.0.0")
        let rows = tags.map { PendingTagRow(registry: "ghcr.io", tag: $0, currentDigest: nil, newDigest: new, newVersion: "2.0.0", change: .new) }
        var console = Sample.console()
        console.apply([.pendingTags(PendingTagsViewModel(version: "2.0.0", rows: rows, requiresTypedVersion: true)), .show(.pendingTags)], now: 100)
        let lines = Self.screen(&console)
        for tag in tags {
            #expect(lines.contains { $0.contains(" \(tag) ") }, "\(tag) is cut:\n\(lines.joined(separator: "\n"))")
        }
        // No warnings anywhere: the column takes no room.
        #expect(!lines.contains { $0.contains("Warnings") })
    }

    @Test("platform names with variants are shown whole in the release matrix")
    func platformsWhole() {
        var console = Sample.console()
        console.apply(Sample.manyPlatformsEvents + [.show(.release)], now: 100)
        let text = Self.screen(&console).joined(separator: "\n")
        for platform in Sample.manyPlatforms {
            #expect(text.contains("\(platform) "), "\(platform) is cut:\n\(text)")
        }
    }

    @Test("an error of over 300 characters is read whole in the status lines")
    func longErrorWhole() {
        var console = Sample.console()
        console.apply([.show(.publish), .status(Sample.longError)], now: 100)
        // Wrapping breaks at spaces (and inside a word longer than the line): compare without them.
        let shown = Self.screen(&console).joined().filter { $0 != " " }
        #expect(shown.contains(Sample.longError.filter { $0 != " " }), "\(Self.screen(&console).joined(separator: "\n"))")
    }

    @Test("a column whose cells are all empty collapses; the key column grows to its content first")
    func contentLayout() {
        let table = Table(columns: [TableColumn("Tag", width: 4, flexible: true, priority: 100), TableColumn("Note", width: 10, flexible: true, priority: 50),
                                    TableColumn("Warnings", width: 16, flexible: true, priority: 80)],
                          rows: [[.plain("2.0.0-bookworm"), .plain("new"), .plain("")], [.plain("2-bookworm"), .plain("new"), .plain("")]])
        #expect(table.layout(width: 40) == [24, 15, nil])
        // Too narrow for both: the lower-priority column goes before the tag is cut.
        #expect(table.layout(width: 16) == [16, nil, nil])
    }
}
