/// One key of a screen, as lazygit's `Binding`: the keys, the handler, the sentence on the
/// help screen, the word in the footer, and why it does nothing now (nil when it may).
/// Each controller returns its bindings for the state shown, so the footer, the help and the
/// key handling read one list.
struct KeyBinding<Controller> {
    typealias Handler = (inout Controller, inout ConsoleContext) -> [ConsoleIntent]

    var keys: [Key]
    var help: String
    var footer: String?
    var disabledReason: String?
    /// `? help` and `q quit`: kept in the footer when the others do not fit.
    var isPinned = false
    var handler: Handler

    init(_ keys: [Key], help: String, footer: String? = nil, disabledReason: String? = nil, isPinned: Bool = false, _ handler: @escaping Handler) {
        self.keys = keys
        self.help = help
        self.footer = footer
        self.disabledReason = disabledReason
        self.isPinned = isPinned
        self.handler = handler
    }

    /// What the footer and the help screen show of it.
    var description: BindingDescription {
        BindingDescription(keys: keys, help: help, footer: footer, disabledReason: disabledReason, isPinned: isPinned)
    }
}

/// A binding as the footer and the help screen show it.
public struct BindingDescription: Hashable, Sendable {
    public var keys: [Key]
    public var help: String
    public var footer: String?
    public var disabledReason: String?
    public var isPinned: Bool

    /// The keys as written for people (`↑/k`).
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}
