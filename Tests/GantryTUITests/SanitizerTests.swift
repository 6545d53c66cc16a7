import Foundation
import Testing
import GantryEngine
@testable import GantryTUI

@Suite(.timeLimit(.minutes(1))) struct SanitizerTests {
    @Test("colour and cursor sequences are removed, text kept")
    func csi() {
        #expect(Sanitizer.clean("\u{1B}[1;31merror\u{1B}[0m: \u{1B}[2Kdone\u{1B}[?25l") == "error: done")
        #expect(Sanitizer.clean("\u{9B}31mred") == "red")
    }

    @Test("OSC titles and hyperlinks are removed, whether ended by BEL or ST")
    func osc() {
        #expect(Sanitizer.clean("a\u{1B}]0;pwned title\u{07}b") == "ab")
        #expect(Sanitizer.clean("\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
        #expect(Sanitizer.clean("x\u{1B}P1;2|secret\u{1B}\\y") == "xy")
    }

    @Test("control characters go, tabs and newlines become spaces")
    func controls() {
        #expect(Sanitizer.clean("a\u{07}b\u{08}c\u{00}d\u{7F}e\u{85}f") == "abcdef")
        #expect(Sanitizer.clean("a\tb\nc\r\nd") == "a    b c  d")
        #expect(Sanitizer.clean("\u{1B}(Bcharset\u{1B}=") == "charset")
    }

    @Test("bidirectional overrides that disguise tags are removed")
    func bidi() {
        #expect(Sanitizer.clean("latest\u{202E}3.1\u{2066}") == "latest3.1")
    }

    @Test("visible keeps a value on one line, its control characters spelled out")
    func visible() {
        #expect(Sanitizer.visible("1.0\nno findings\r\t\u{1B}[2J\u{9B}31m\u{202E}x") == #"1.0\nno findings\r\t\u001B[2J\u009B31m\u202Ex"#)
        #expect(Sanitizer.visible("日本語 é 🚀") == "日本語 é 🚀")
    }

    @Test("JSON gets every control character as \\uXXXX, and stays the same JSON")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .prettyPrinted
        let encoded = String(decoding: try encoder.encode(["k": "a\u{9B}b\u{202E}c\u{7F}\n"]), as: UTF8.self)
        let escaped = Sanitizer.escapingControls(inJSON: encoded)
        #expect(!escaped.unicodeScalars.contains { [0x7F, 0x9B, 0x202E].contains($0.value) })
        #expect(escaped.contains(#""a\u009Bb\u202Ec\u007F\n""#), "\(escaped)")
        #expect(try JSONDecoder().decode([String: String].self, from: Data(escaped.utf8)) == ["k": "a\u{9B}b\u{202E}c\u{7F}\n"])
    }

    @Test("an unterminated sequence swallows only its own bytes")
    func unterminated() {
        #expect(Sanitizer.clean("ok\u{1B}[12") == "ok")
        #expect(Sanitizer.clean("ok\u{1B}") == "ok")
    }

    @Test("wide text and combining marks pass unchanged")
    func unicode() {
        let text = "日本語 é 🚀 한국어"
        #expect(Sanitizer.clean(text) == text)
    }

    @Test("lines splits on every line ending and cleans each line")
    func lines() {
        #expect(Sanitizer.lines("a\u{1B}[1mb\r\nc\rd\ne") == ["ab", "c", "d", "e"])
    }

    @Test("log lines, tags and errors are sanitised before they reach the grid")
    func reachesGridClean() {
        var state = ReleaseState()
        let platform = Sample.platforms[0]
        state.apply(.platform(platform, .log("\u{1B}]0;owned\u{07}\u{1B}[31mred\u{1B}[0m")), now: 0)
        state.apply(.platform(platform, .failed("bad\u{1B}[2J")), now: 1)
        #expect(state.release.rows[0].log[0] == "red")
        #expect(state.release.rows[0].failure == "bad")
        let tag = PendingTagRow(registry: "r\u{1B}[1m", tag: "la\u{07}test", currentDigest: nil, newDigest: Sample.digest("x"), change: .new)
        #expect(tag.registry == "r" && tag.tag == "latest")
    }
}
