/// Makes text from outside (build logs, labels, annotations, tag names, registry errors)
/// safe to show on a terminal: removes ANSI/VT escape sequences (CSI, OSC, DCS, SOS/PM/APC,
/// two-byte ESC) and C0/C1 control characters, and turns tabs into spaces. The console and
/// every plain text output use it. Where a value must be shown as it is (a tag, an
/// annotation in the audit), `visible` spells its control characters out on one line, and
/// JSON output escapes every one of them as `\uXXXX` (`escapingControls(inJSON:)`).
public enum Sanitizer {
    /// The cleaned text; line breaks become spaces (use `lines` to keep them).
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var state = State.text
        for s in text.unicodeScalars {
            let v = s.value
            switch state {
            case .text:
                if v == 0x1B { state = .escape; continue }
                if v == 0x9B { state = .csi; continue }
                if v == 0x9D || v == 0x90 || v == 0x98 || v == 0x9E || v == 0x9F { state = .string; continue }
                if v == 0x09 { out.append(contentsOf: "    ".unicodeScalars); continue }
                if v == 0x0A || v == 0x0D { out.append(" "); continue }
                if isControl(s) { continue }
                out.append(s)
            case .escape:
                switch v {
                case 0x5B: state = .csi                          // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .string // ESC ] P X ^ _
                case 0x20...0x2F: state = .escapeIntermediate    // ESC ( B and friends
                default: state = .text                           // two-byte sequence done
                }
            case .escapeIntermediate:
                if !(0x20...0x2F).contains(v) { state = .text }
            case .csi:
                if (0x40...0x7E).contains(v) { state = .text }
                else if v == 0x1B { state = .escape }
            case .string:
                if v == 0x07 || v == 0x9C { state = .text }      // BEL or ST ends it
                else if v == 0x1B { state = .stringEscape }
            case .stringEscape:
                state = v == 0x5C ? .text : .string               // ESC \ is ST
            }
        }
        return String(out)
    }

    /// The cleaned text with its line breaks kept (as `\n`), for plain output.
    public static func text(_ text: String) -> String {
        lines(text).joined(separator: "\n")
    }

    /// The cleaned text split into lines (CR LF, LF and lone CR all end a line).
    public static func lines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { clean(String($0)) }
    }

    /// `text` on one line with each control character spelled out: `\n`, `\r`, `\t`, and
    /// `\uXXXX` for the others, so a registry cannot start a line of its own (a fake "no
    /// findings") nor reorder one, and what it sent stays visible.
    public static func visible(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(s): out += escaped(s)
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// `json` (as `JSONEncoder` writes it) with every control character `\uXXXX`: the encoder
    /// escapes U+0000–U+001F in strings itself (outside them those are the layout's line
    /// breaks, left alone), but leaves DEL, the C1 controls (U+009B starts a terminal
    /// sequence) and bidirectional controls raw. Outside strings JSON has none of those, so
    /// escaping each wherever it stands keeps the document valid.
    public static func escapingControls(inJSON json: String) -> String {
        let raw = { (s: Unicode.Scalar) in s.value >= 0x20 && isControl(s) }
        guard json.unicodeScalars.contains(where: raw) else { return json }
        var out = ""
        for s in json.unicodeScalars {
            if raw(s) { out += escaped(s) } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    /// C0 and C1 controls, DEL, and the bidirectional controls, which can make a tag look
    /// like another (U+202E turns the rest of a line around).
    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `\u009B`.
    private static func escaped(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private enum State {
        case text, escape, escapeIntermediate, csi, string, stringEscape
    }
}
