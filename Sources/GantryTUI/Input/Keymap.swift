/// The screens and dialogs of the console.
public enum ScreenID: String, CaseIterable, Hashable, Sendable {
    case home, release, digests, pendingTags, publish, audit, recover, newRelease
    case help, confirm, quitPrompt, publishWithoutPrompt

    /// The name shown in the title bar and the help screen.
    public var title: String {
        switch self {
        case .home: return "Home"
        case .release: return "Release"
        case .digests: return "Digests"
        case .pendingTags: return "Pending tags"
        case .publish: return "Publish"
        case .audit: return "Audit"
        case .recover: return "Recover"
        case .newRelease: return "New release"
        case .help: return "Help"
        case .confirm: return "Confirm"
        case .quitPrompt: return "Quit"
        case .publishWithoutPrompt: return "Publish without"
        }
    }

    /// The release views that ←/→ step through, in order.
    public static let releaseViews: [ScreenID] = [.release, .digests, .pendingTags, .publish]
}

/// What a key does.
public enum KeyAction: Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case previousView, nextView
    case open, switchPane, back, help, quit
    case show(ScreenID)
    case publish
    case retryPlatform, cancelPlatform, publishWithout
    case editReference
    case inspect, dismiss
    case answerYes, answerNo
}

/// One row of the key table: the keys, what they do, where, and how it is explained.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    public var action: KeyAction
    /// The sentence on the help screen.
    public var help: String
    /// The word in the footer, or nil to show the binding on the help screen only.
    public var footer: String?
    /// The screens where it applies; nil for every screen.
    public var screens: Set<ScreenID>?

    public init(_ keys: [Key], _ action: KeyAction, help: String, footer: String? = nil, on screens: Set<ScreenID>? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.footer = footer
        self.screens = screens
    }

    /// The keys as written for people (`↑/k`).
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }

    public func applies(to screen: ScreenID) -> Bool { screens?.contains(screen) ?? true }
}

/// The single table of key bindings; the footer and the help screen are both made from it.
public struct Keymap: Hashable, Sendable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The action bound to `key` on `screen`, if any (the first matching row wins).
    public func action(for key: Key, on screen: ScreenID) -> KeyAction? {
        bindings.first { $0.applies(to: screen) && $0.keys.contains(key) }?.action
    }

    /// The bindings of `screen`, in table order.
    public func bindings(on screen: ScreenID) -> [KeyBinding] { bindings.filter { $0.applies(to: screen) } }

    /// The footer entries of `screen` (`Enter open`, `q quit`...).
    public func footer(on screen: ScreenID) -> [(key: String, label: String, action: KeyAction)] {
        bindings(on: screen).compactMap { b in b.footer.map { (b.keys[0].description, $0, b.action) } }
    }

    private static let lists: Set<ScreenID> = [.home, .release, .digests, .pendingTags, .publish, .audit, .recover, .help]
    private static let views = Set(ScreenID.releaseViews)
    private static let main: Set<ScreenID> = lists.subtracting([.help])

    /// Gantry's key table.
    public static let standard = Keymap(bindings: [
        KeyBinding([.up, .char("k")], .moveUp, help: "Move up", on: lists),
        KeyBinding([.down, .char("j")], .moveDown, help: "Move down", on: lists),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, help: "Page up", on: lists),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, help: "Page down", on: lists),
        KeyBinding([.home, .char("g")], .top, help: "Go to the top", on: lists),
        KeyBinding([.end, .char("G")], .bottom, help: "Go to the bottom (and follow the log)", on: lists),
        KeyBinding([.left, .char("h")], .previousView, help: "Previous view (release, digests, tags, publish)", on: views),
        KeyBinding([.right, .char("l")], .nextView, help: "Next view", on: views),
        KeyBinding([.enter], .open, help: "Open the selected item", footer: "open", on: [.home, .release, .recover]),
        KeyBinding([.enter], .open, help: "Audit the reference or the picked tag; on a finding, open its repair (or say why there is none)",
                   footer: "open", on: [.audit]),
        KeyBinding([.up], .moveUp, help: "Previous suggestion", on: [.newRelease]),
        KeyBinding([.down], .moveDown, help: "Next suggestion", on: [.newRelease]),
        KeyBinding([.enter], .open, help: "Release the typed version, or the selected suggestion", footer: "release", on: [.newRelease]),
        KeyBinding([.escape], .back, help: "Back home (nothing starts)", footer: "back", on: [.newRelease]),
        KeyBinding([.char("y"), .enter], .answerYes, help: "Quit and cancel the running builds", footer: "quit", on: [.quitPrompt]),
        KeyBinding([.char("n"), .escape], .answerNo, help: "Keep building", footer: "keep building", on: [.quitPrompt]),
        KeyBinding([.char("y"), .enter], .answerYes, help: "Publish without the platforms named", footer: "publish without", on: [.publishWithoutPrompt]),
        KeyBinding([.char("n"), .escape], .answerNo, help: "Keep them: nothing is published", footer: "keep", on: [.publishWithoutPrompt]),
        KeyBinding([.enter], .open, help: "Publish (after typing the version when tags move)", footer: "publish", on: [.confirm]),
        KeyBinding([.tab], .switchPane, help: "Switch pane (matrix and log; reference, findings and tags)", footer: "pane", on: [.release, .audit]),
        KeyBinding([.char("d")], .show(.digests), help: "Show the digests", footer: "digests", on: [.release, .pendingTags, .publish]),
        KeyBinding([.char("t")], .show(.pendingTags), help: "Show the pending tags", footer: "tags", on: [.release, .digests, .publish]),
        KeyBinding([.char("r")], .show(.release), help: "Show the release matrix", footer: "release", on: [.digests, .pendingTags, .publish]),
        KeyBinding([.char("p")], .publish, help: "Publish the pending tags (asks to confirm)", footer: "publish", on: [.release, .digests, .pendingTags]),
        KeyBinding([.char("R")], .retryPlatform, help: "Build the selected failed or cancelled platform again", footer: "retry", on: [.release]),
        KeyBinding([.char("x")], .cancelPlatform, help: "Cancel the selected platform's build", footer: "cancel", on: [.release]),
        KeyBinding([.char("P")], .publishWithout, help: "Publish without the failed or cancelled platforms (asks to confirm)", footer: "without",
                   on: [.release, .digests, .pendingTags]),
        KeyBinding([.char("/")], .editReference, help: "Enter a reference to audit", footer: "reference", on: [.audit]),
        KeyBinding([.char("i")], .inspect, help: "Inspect the selected release", footer: "inspect", on: [.recover]),
        KeyBinding([.char("x")], .dismiss, help: "Dismiss the selected release (its journal says abandoned; nothing is deleted)", footer: "dismiss", on: [.recover]),
        KeyBinding([.escape], .back, help: "Back, or close the dialog (nothing is published)", footer: "back",
                   on: lists.union([.confirm]).subtracting([.home])),
        KeyBinding([.char("?")], .help, help: "Show this help", footer: "help", on: main),
        KeyBinding([.char("q")], .quit, help: "Quit (asks first while builds run, then cancels them)", footer: "quit", on: lists),
    ])
}
