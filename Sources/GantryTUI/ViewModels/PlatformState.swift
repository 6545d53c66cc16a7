extension PlatformRow {
    /// Where one platform's build is.
    public enum State: String, CaseIterable, Hashable, Sendable {
        /// `cached`: reused from an earlier build of this release (a resume); `imported`: a
        /// digest built elsewhere (a CI run's, a `gantry build`'s, a promotion's) and published here.
        case queued, building, pushing, done, cached, imported, failed, cancelled

        /// True until the build has ended one way or the other.
        public var isActive: Bool { self == .queued || self == .building || self == .pushing }

        /// Its digest is ready to publish.
        public var hasDigest: Bool { self == .done || self == .cached || self == .imported }

        /// A symbol that shows the state without colour.
        public var symbol: String {
            switch self {
            case .queued: return "·"
            case .building: return "▶"
            case .pushing: return "↑"
            case .done: return "✓"
            case .cached: return "≡"
            case .imported: return "↓"
            case .failed: return "✗"
            case .cancelled: return "⊘"
            }
        }

        /// The colour role of the state.
        public var role: ColorRole {
            switch self {
            case .queued, .cancelled: return .muted
            case .building, .pushing: return .info
            case .done, .cached, .imported: return .success
            case .failed: return .danger
            }
        }
    }
}
