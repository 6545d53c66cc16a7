import Foundation
@testable import GantryCommand
import Testing

/// `--json` event lines: one JSON object per line, whatever happens.
@Suite(.timeLimit(.minutes(1))) struct JSONOutputTests {
    struct Unencodable: Encodable {
        struct Refused: Error, CustomStringConvertible { var description: String { "refused" } }
        func encode(to encoder: any Encoder) throws { throw Refused() }
    }

    @Test func anEventThatCannotBeEncodedIsAnErrorLineNeverAnEmptyOne() throws {
        let line = JSONOutput.line(Unencodable())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["event"] == "error")
        #expect(object["message"]?.contains("Unencodable") == true && object["message"]?.contains("refused") == true, "\(line)")
        #expect(JSONOutput.line(["event": "phase"]) == #"{"event":"phase"}"#)
    }
}
