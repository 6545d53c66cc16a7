/// The screens and dialogs of the console.
public enum ScreenID: String, CaseIterable, Hashable, Sendable {
    case home, release, digests, pendingTags, publish, audit, recover, newRelease, journal, journalDetail, commandLog
    case help, confirm, quitPrompt, publishWithoutPrompt, publishDigestsPrompt, jumpPrompt

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
        case .journal: return "Journal"
        case .journalDetail: return "Journal entry"
        case .commandLog: return "Command log"
        case .help: return "Help"
        case .confirm: return "Confirm"
        case .quitPrompt: return "Quit"
        case .publishWithoutPrompt: return "Publish without"
        case .publishDigestsPrompt: return "Publish digests"
        case .jumpPrompt: return "Jump"
        }
    }

    /// Drawn on top of the screen beneath (the help replaces it while open).
    public var isOverlay: Bool { [.help, .confirm, .quitPrompt, .publishWithoutPrompt, .publishDigestsPrompt, .jumpPrompt].contains(self) }

    /// The release views that ←/→ step through, in order.
    public static let releaseViews: [ScreenID] = [.release, .digests, .pendingTags, .publish]
}
