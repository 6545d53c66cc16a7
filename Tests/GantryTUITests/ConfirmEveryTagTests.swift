import Testing
@testable import GantryTUI

/// The confirmation shows exactly the set it writes: every new and moved tag, wrapped, never
/// cut off at the end of one line.
@Suite(.timeLimit(.minutes(1))) struct ConfirmEveryTagTests {
    /// The confirmation of `model`, opened from the pending tags as a user does.
    private func confirming(_ model: PendingTagsViewModel) -> Console {
        var console = Sample.builtConsole()
        console.apply([.pendingTags(model), .show(.pendingTags)], now: 100)
        _ = console.handle(.char("p"))
        return console
    }

    /// The words inside the dialog's frame in `text` (the pending tags behind it left out).
    private func listed(in text: String) -> Set<String> {
        let inside = text.split(separator: "\n").compactMap { line -> Substring? in
            guard let open = line.firstIndex(of: "│"), let close = line.lastIndex(of: "│"), open < close else { return nil }
            return line[line.index(after: open)..<close]
        }
        return Set(inside.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }) }.map(String.init))
    }

    @Test("16 tag rules: every written tag is on the screen at once", arguments: [GridSize(width: 80, height: 24), GridSize(width: 120, height: 40)])
    func sixteenRulesFit(size: GridSize) {
        let tags = Array(Sample.manyTags.prefix(12)) + ["latest", "bookworm", "slim", "stable"]
        let model = PendingTagsViewModel(version: "1.4.0", rows: Sample.pendingManyTags.rows.filter { tags.contains($0.tag) }, requiresTypedVersion: true)
        var console = confirming(model)
        let text = console.render(size: size, now: 100).render()
        #expect(listed(in: text).isSuperset(of: tags), "\(text)")
        #expect(!text.contains("more lines, ↓"))
    }

    @Test("30 tags at 60×20: the rest scrolls with ↓, counted, until every tag was shown")
    func thirtyTagsScroll() {
        var console = confirming(Sample.pendingManyTags)
        let size = GridSize(width: 60, height: 20)
        var seen = Set<String>()
        var text = console.render(size: size, now: 100).render()
        #expect(text.contains("more lines, ↓"))
        for _ in 0..<20 {
            seen.formUnion(listed(in: text))
            _ = console.handle(.down)
            text = console.render(size: size, now: 100).render()
        }
        #expect(seen.isSuperset(of: Sample.manyTags))
        #expect(text.contains("more lines above, ↑"))
    }
}
