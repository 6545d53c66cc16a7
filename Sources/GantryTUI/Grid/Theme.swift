/// Turns semantic roles into cell styles, in colour or in monochrome.
///
/// Monochrome (`NO_COLOR` set to anything non-empty, or a terminal without colours) drops
/// colour roles but keeps meaning visible: states always carry a symbol, and warnings and
/// failures are bold or reversed.
public struct Theme: Hashable, Sendable {
    public var usesColor: Bool

    public init(usesColor: Bool) { self.usesColor = usesColor }

    public static let color = Theme(usesColor: true)
    public static let monochrome = Theme(usesColor: false)

    /// Colour unless `NO_COLOR` is non-empty or the terminal has no colours.
    public static func detect(environment: [String: String], terminalHasColors: Bool) -> Theme {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return Theme(usesColor: terminalHasColors && !noColor)
    }

    /// The style for text of `role`.
    public func style(_ role: ColorRole, bold: Bool = false) -> CellStyle {
        if usesColor { return CellStyle(role: role, bold: bold) }
        switch role {
        case .danger: return CellStyle(bold: true, reverse: true)
        case .warning, .accent: return CellStyle(bold: true)
        case .muted: return CellStyle(bold: bold, dim: true)
        case .plain, .success, .info: return CellStyle(bold: bold)
        }
    }

    /// Column titles and labels.
    public var heading: CellStyle { style(.accent, bold: true) }
    /// The title bar and other reversed chrome.
    public var bar: CellStyle { CellStyle(role: usesColor ? .accent : .plain, reverse: true) }
    /// The selected row of a list.
    public var selection: CellStyle { CellStyle(reverse: true) }
}
