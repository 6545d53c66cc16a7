/// A run of text in one style.
public struct TextSpan: Hashable, Sendable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line of text made of styled spans.
public struct StyledLine: Hashable, Sendable, ExpressibleByStringLiteral {
    public var spans: [TextSpan]

    public init(_ spans: [TextSpan]) { self.spans = spans }
    public init(_ text: String, _ style: CellStyle = .plain) { spans = [TextSpan(text, style)] }
    public init(stringLiteral value: String) { spans = [TextSpan(value)] }

    /// Columns this line takes.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    public static func + (a: StyledLine, b: StyledLine) -> StyledLine { StyledLine(a.spans + b.spans) }
}

/// Fitting text into a number of columns by display width.
public enum TextFit {
    /// `text` cut to at most `width` columns, ending in `…` when cut; never splits a grapheme.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// `text` truncated and then padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let t = truncate(text, to: width)
        let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(t)))
        return alignRight ? gap + t : t + gap
    }

    /// `text` broken into lines of at most `width` columns (at spaces where it can, else anywhere).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var piece = String(word)
            if used > 0 {
                if used + 1 + DisplayWidth.of(piece) <= width {
                    line += " " + piece
                    used += 1 + DisplayWidth.of(piece)
                    continue
                }
                lines.append(line)
                line = ""
                used = 0
            }
            // A word longer than the line is cut into pieces.
            while DisplayWidth.of(piece) > width {
                var head = ""
                var w = 0
                for c in piece {
                    if w + DisplayWidth.of(c) > width { break }
                    head.append(c)
                    w += DisplayWidth.of(c)
                }
                lines.append(head)
                piece.removeFirst(head.count)
            }
            line = piece
            used = DisplayWidth.of(piece)
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` cut from the left, keeping its end (for long references and paths).
    public static func truncateLeading(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        for c in text.reversed() {
            let w = DisplayWidth.of(c)
            if used + w > width - 1 { break }
            out.insert(c, at: out.startIndex)
            used += w
        }
        return "…" + out
    }
}
