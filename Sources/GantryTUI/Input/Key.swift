/// A key press, decoded by the backend from ncurses key codes.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backTab, escape, backspace
    case char(Character)
    /// Ctrl plus a letter (`ctrl("c")`).
    case ctrl(Character)

    /// How the key is written in the footer and the help screen.
    public var description: String {
        switch self {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .char(let c): return String(c)
        case .ctrl(let c): return "^" + String(c).uppercased()
        }
    }
}
