import GantryEngine

extension JournalViewModel {
    /// Where one journal stands, as the list colours it.
    public enum State: String, Hashable, Sendable {
        case running, interrupted, failed, verified, cancelled, abandoned, built, corrupt

        public var role: ColorRole {
            switch self {
            case .running: return .accent
            case .interrupted, .abandoned: return .warning
            case .failed, .corrupt: return .danger
            case .verified, .built: return .success
            case .cancelled: return .muted
            }
        }
    }

    /// One line of an entry's detail pane: a section heading, or text in a colour.
    public struct DetailLine: Hashable, Sendable {
        public var text: String
        public var role: ColorRole
        public var isHeading: Bool

        public init(_ text: String, role: ColorRole = .plain, isHeading: Bool = false) {
            self.text = Sanitizer.clean(text)
            self.role = role
            self.isHeading = isHeading
        }
    }

    /// One journal of the state folder.
    public struct Entry: Hashable, Sendable {
        public var id: String
        /// `release`, `build`, `publish`, `promote`, `rollback` (empty when unreadable).
        public var kind: String
        /// The image it releases (one state folder may hold several projects'); empty when unreadable.
        public var image: String
        public var state: State
        /// `running (pid 4242)`, `interrupted (publishing)`, `failed: linux/arm64: exit status 1`, `verified`.
        public var stateText: String
        public var version: String
        public var startedAt: String
        /// The journal in full: header, platforms, publications, errors and its history in order.
        public var detail: [DetailLine]
        /// Why it cannot be rolled back, from the rollback flow; nil when `b` previews a rollback.
        public var rollbackRefusal: String?

        public init(
            id: String, kind: String, image: String = "", state: State, stateText: String, version: String, startedAt: String, detail: [DetailLine] = [],
            rollbackRefusal: String? = nil
        ) {
            self.id = Sanitizer.clean(id)
            self.kind = Sanitizer.clean(kind)
            self.image = Sanitizer.clean(image)
            self.state = state
            self.stateText = Sanitizer.clean(stateText)
            self.version = Sanitizer.clean(version)
            self.startedAt = Sanitizer.clean(startedAt)
            self.detail = detail
            self.rollbackRefusal = rollbackRefusal.map(Sanitizer.clean)
        }
    }
}

/// What the journal screen shows: every journal of the state folder, newest first.
public struct JournalViewModel: Hashable, Sendable {
    public var entries: [JournalViewModel.Entry]

    public init(entries: [JournalViewModel.Entry]) { self.entries = entries }

    public static let empty = JournalViewModel(entries: [])
}
