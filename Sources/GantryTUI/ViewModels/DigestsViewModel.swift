import GantryEngine

extension DigestRow {
    /// Whether a manifest is present in a registry.
    public enum Presence: Hashable, Sendable {
        case present, missing, checking, unknown

        public var symbol: String {
            switch self {
            case .present: return "✓"
            case .missing: return "✗"
            case .checking: return "…"
            case .unknown: return "?"
            }
        }

        public var role: ColorRole {
            switch self {
            case .present: return .success
            case .missing: return .danger
            case .checking, .unknown: return .muted
            }
        }
    }
}

/// One platform's manifest and attestation and where they are.
public struct DigestRow: Hashable, Sendable {
    public var platform: Platform
    public var manifestDigest: String?
    public var attestationDigest: String?
    /// DigestRow.Presence per registry, in the order of `DigestsViewModel.registries`.
    public var presence: [DigestRow.Presence]

    public init(platform: Platform, manifestDigest: String?, attestationDigest: String?, presence: [DigestRow.Presence]) {
        self.platform = platform
        self.manifestDigest = manifestDigest
        self.attestationDigest = attestationDigest
        self.presence = presence
    }
}

/// What the digests screen shows.
public struct DigestsViewModel: Hashable, Sendable {
    public var indexDigest: String?
    public var registries: [String]
    public var rows: [DigestRow]

    public init(indexDigest: String?, registries: [String], rows: [DigestRow]) {
        self.indexDigest = indexDigest
        self.registries = registries.map(Sanitizer.clean)
        self.rows = rows
    }

    public static let empty = DigestsViewModel(indexDigest: nil, registries: [], rows: [])
}
