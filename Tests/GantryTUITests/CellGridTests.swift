import Testing
@testable import GantryTUI

@Suite(.timeLimit(.minutes(1))) struct CellGridTests {
    @Test("display width: wide 2, combining 0, ASCII 1")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("한") == 2)
        #expect(DisplayWidth.of("ｗ") == 2)
        #expect(DisplayWidth.of("✓") == 1)
    }

    @Test("a wide character that does not fit is replaced by a space, never cut", arguments: 1...7)
    func neverCutsWide(limit: Int) {
        var grid = CellGrid(width: 10, height: 1)
        let used = grid.put("a日本語", x: 0, y: 0, limit: limit)
        #expect(used == limit)
        #expect(GridInvariants.problems(grid).isEmpty)
        #expect(DisplayWidth.of(grid.render().dropLast()) <= limit)
    }

    @Test("a wide character at the right edge is not split")
    func rightEdge() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("abcd日", x: 0, y: 0)
        #expect(grid.render() == "abcd\n")
        #expect(GridInvariants.problems(grid).isEmpty)
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var grid = CellGrid(width: 6, height: 1)
        grid.put("日本語", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        grid.put("y", x: 2, y: 0)
        #expect(grid.render() == " xy 語\n")
        #expect(GridInvariants.problems(grid).isEmpty)
    }

    @Test("writes are clipped to the grid")
    func clipping() {
        var grid = CellGrid(width: 4, height: 2)
        grid.put("hello", x: 2, y: 1)
        grid.put("nope", x: 0, y: 5)
        grid.put("ab", x: -1, y: 0)
        #expect(grid.render() == "b\n  he\n")
    }

    @Test("truncation ends in an ellipsis and respects display width")
    func truncate() {
        #expect(TextFit.truncate("registry.example.com", to: 10) == "registry.…")
        #expect(TextFit.truncate("日本語テキスト", to: 6) == "日本…")
        #expect(DisplayWidth.of(TextFit.pad("日本語", to: 5)) == 5)
        #expect(TextFit.truncateLeading("ghcr.io/acme/widget", to: 8) == "…/widget")
    }

    @Test("progress bars fill proportionally with eighth blocks")
    func progress() {
        #expect(ProgressBar(done: 0, total: 4).text(width: 4) == "░░░░")
        #expect(ProgressBar(done: 2, total: 4).text(width: 4) == "██░░")
        #expect(ProgressBar(done: 4, total: 4).text(width: 4) == "████")
        #expect(ProgressBar(done: 1, total: 3).text(width: 3) == "█░░")
        #expect(ProgressBar(done: 1, total: 16).text(width: 4) == "▎░░░")
        #expect(ProgressBar(done: 3, total: 0).text(width: 3) == "░░░")
    }

    @Test("boxes draw borders and a clipped title")
    func box() {
        var grid = CellGrid(width: 8, height: 3)
        grid.box(grid.bounds, title: "Platforms")
        #expect(grid.render() == "┌ Platf┐\n│      │\n└──────┘\n")
    }

    @Test("tables drop low-priority columns first when narrow")
    func tableLayout() {
        let table = Table(columns: [TableColumn("A", width: 10, priority: 100), TableColumn("B", width: 10, priority: 1),
                                    TableColumn("C", width: 10, flexible: true, priority: 50)], rows: [])
        #expect(table.layout(width: 40) == [10, 10, 18])
        #expect(table.layout(width: 25) == [10, nil, 14])
        #expect(table.layout(width: 8) == [8, nil, nil])
    }

    @Test("the theme turns monochrome with NO_COLOR or a terminal without colours")
    func themeDetection() {
        #expect(Theme.detect(environment: [:], terminalHasColors: true).usesColor)
        #expect(!Theme.detect(environment: ["NO_COLOR": "1"], terminalHasColors: true).usesColor)
        #expect(Theme.detect(environment: ["NO_COLOR": ""], terminalHasColors: true).usesColor)
        #expect(!Theme.detect(environment: [:], terminalHasColors: false).usesColor)
    }
}
