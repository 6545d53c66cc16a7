/// A width×height matrix of cells that screens draw into and a backend copies to the terminal.
///
/// Writes are clipped to the grid and to the rectangle they are given; a wide grapheme that
/// does not fit whole is replaced by a space, so no grapheme is ever cut in half, and writing
/// over half of a wide grapheme blanks its other half.
public struct CellGrid: Hashable, Sendable {
    public let size: GridSize
    public private(set) var cells: [Cell]

    public init(size: GridSize) {
        self.size = GridSize(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public init(width: Int, height: Int) { self.init(size: GridSize(width: width, height: height)) }

    public var width: Int { size.width }
    public var height: Int { size.height }
    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    /// The cells of one row.
    public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * width)..<((y + 1) * width)] }

    /// Writes `text` at (x, y) without passing `limit` columns (or the grid's edge), and returns
    /// the number of columns used. Text must already be sanitised.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: CellStyle = .plain, limit: Int = .max) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = limit >= width ? width : min(width, x + max(0, limit))
        var col = x
        for c in text {
            let w = DisplayWidth.of(c)
            if w == 0 { continue }
            if col + w > end {
                // Never cut a wide grapheme: pad the last column instead.
                while col < end { setCell(Cell(grapheme: " ", width: 1, style: style), x: col, y: y); col += 1 }
                break
            }
            if col >= 0 {
                setCell(Cell(grapheme: c, width: UInt8(w), style: style), x: col, y: y)
                if w == 2 { setCell(Cell(grapheme: " ", width: 0, style: style), x: col + 1, y: y) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes styled spans one after another; returns the columns used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, limit: Int = .max) -> Int {
        var used = 0
        for span in line.spans where used < limit {
            used += put(span.text, x: x + used, y: y, style: span.style, limit: limit - used)
        }
        return used
    }

    /// Fills a rectangle with blanks of `style`.
    public mutating func fill(_ rect: Rect, style: CellStyle = .plain) {
        let r = clip(rect)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { setCell(Cell(grapheme: " ", width: 1, style: style), x: x, y: y) }
        }
    }

    /// Applies `change` to the style of every cell in `rect` (for highlighting a row).
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        let r = clip(rect)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { change(&cells[y * width + x].style) }
        }
    }

    /// Draws a single-line box around `rect` with an optional title in its top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, style: CellStyle = .plain, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: rect.width - 2)
        put("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        put("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", x: rect.x, y: y, style: style)
            put("│", x: rect.maxX - 1, y: y, style: style)
        }
        if let title, rect.width > 4 {
            put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style.emphasised, limit: rect.width - 2)
        }
    }

    /// The grid as text: one line per row, trailing blanks trimmed, right halves of wide
    /// graphemes omitted (so each line shows as many columns as the terminal would).
    public func render() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = ""
            for cell in row(y) where !cell.isContinuation { line.append(cell.grapheme) }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes one cell, blanking the other half of any wide grapheme it overlaps.
    private mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let i = y * width + x
        let old = cells[i]
        if old.isContinuation, x > 0, !cell.isContinuation {
            cells[i - 1] = Cell(grapheme: " ", width: 1, style: cells[i - 1].style)
        }
        if old.width == 2, x + 1 < width, cell.width != 2 {
            cells[i + 1] = Cell(grapheme: " ", width: 1, style: cells[i + 1].style)
        }
        if cell.width == 2, x + 1 >= width {
            cells[i] = Cell(grapheme: " ", width: 1, style: cell.style)
            return
        }
        cells[i] = cell
    }

    private func clip(_ r: Rect) -> Rect {
        let x0 = max(0, r.x), y0 = max(0, r.y)
        return Rect(x: x0, y: y0, width: min(width, r.maxX) - x0, height: min(height, r.maxY) - y0)
    }
}
