import GantryEngine

extension String {
    /// Applies a key to a one-line text field: a character is typed (cleaned of control
    /// sequences), Backspace deletes the last one, Ctrl-U clears the field. False for any other key.
    mutating func edit(with key: Key) -> Bool {
        switch key {
        case .char(let c): self += Sanitizer.clean(String(c))
        case .backspace: _ = popLast()
        case .ctrl("u"): self = ""
        default: return false
        }
        return true
    }
}
