/// A semantic colour: screens say what a thing means, the theme and backend decide how it looks.
public enum ColorRole: Int, CaseIterable, Hashable, Sendable {
    case plain, accent, success, warning, danger, muted, info
}

/// How one cell is drawn: a colour role plus terminal attributes.
public struct CellStyle: Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(role: ColorRole = .plain, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()

    /// This style made bold.
    public var emphasised: CellStyle {
        var s = self
        s.bold = true
        return s
    }
}

/// One terminal cell: a grapheme that is 1 or 2 columns wide, or the right half of a wide one.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn here; a space for blank cells and continuation cells.
    public var grapheme: Character
    /// 1 or 2 for a grapheme's first cell, 0 for the right half of a wide grapheme.
    public var width: UInt8
    public var style: CellStyle

    public init(grapheme: Character = " ", width: UInt8 = 1, style: CellStyle = .plain) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    public static let blank = Cell()

    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { width == 0 }
}
