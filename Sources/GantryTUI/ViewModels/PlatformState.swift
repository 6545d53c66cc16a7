extension PlatformRow {
    /// Where one platform's build is.
    public enum State: String, CaseIterable, Hashable, Sendable {
        case queued, building, pushing, done, cached, failed, cancelled

        /// True until the build has ended one way or the other.
        public var isActive: Bool { self == .queued || self == .building || self == .pushing }

        /// A symbol that shows the state without colour.
        public var symbol: String {
            switch self {
            case .queued: return "·"
            case .building: return "▶"
            case .pushing: return "↑"
            case .done: return "✓"
            case .cached: return "≡"
            case .failed: return "✗"
            case .cancelled: return "⊘"
            }
        }

        /// The colour role of the state.
        public var role: ColorRole {
            switch self {
            case .queued, .cancelled: return .muted
            case .building, .pushing: return .info
            case .done, .cached: return .success
            case .failed: return .danger
            }
        }
    }
}
