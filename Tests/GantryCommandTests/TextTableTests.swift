@testable import GantryCommand
import Testing

/// `journal list` fits long ids to the terminal, and keeps them whole without one.
@Suite(.timeLimit(.minutes(1))) struct TextTableTests {
    let rows = [["ID", "KIND", "STATE"], [String(repeating: "a", count: 150) + "-20261130T000000Z", "release", "verified"]]

    @Test func aLongIdIsCutToTheWidthWithAnEllipsis() {
        let lines = TextTable.render(rows, width: 80, shrinking: 0).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines[1].contains("…") && lines[1].hasSuffix("release  verified"))
    }

    @Test func withoutAWidthEveryValueIsWhole() {
        #expect(TextTable.render(rows).contains(rows[1][0]))
    }
}
