import GantryEngine

extension PendingTagRow {
    /// What publishing does to one tag.
    public enum Change: String, Hashable, Sendable {
        /// `held`: the tag would move but is kept where it is (a downgrade, say).
        case new, move, unchanged, held

        public var role: ColorRole {
            switch self {
            case .new: return .success
            case .move, .held: return .warning
            case .unchanged: return .muted
            }
        }

        /// A symbol that shows the change without colour.
        public var symbol: String {
            switch self {
            case .new: return "+"
            case .move: return "→"
            case .unchanged: return "="
            case .held: return "-"
            }
        }
    }
}

extension PendingTagRow {
    /// A reason to look twice before moving a tag.
    public enum Warning: Hashable, Sendable, CustomStringConvertible {
        /// The tag now points at an image with platforms the new one lacks.
        case lostPlatforms([Platform])
        /// The tag would move to a lower version than it carries now.
        case downgrade(from: String, to: String)
        /// The tag points at different digests in different registries.
        case drift
        /// Any other reason, in the engine's words.
        case other(String)

        public var description: String {
            switch self {
            case .lostPlatforms(let p): return "loses " + p.map(\.description).joined(separator: ", ")
            case .downgrade(let from, let to): return "downgrade \(from) → \(to)"
            case .drift: return "drift between registries"
            case .other(let message): return message
            }
        }

        /// The warning with outside text stripped of control characters and escapes.
        var sanitized: Warning {
            switch self {
            case .downgrade(let from, let to): return .downgrade(from: Sanitizer.clean(from), to: Sanitizer.clean(to))
            case .other(let message): return .other(Sanitizer.clean(message))
            case .lostPlatforms, .drift: return self
            }
        }
    }
}

/// One tag in one registry: where it points now and where it will point.
public struct PendingTagRow: Hashable, Sendable {
    /// The family member the tag belongs to (`acme/worker`); nil in a release of one image.
    public var image: String?
    public var registry: String
    public var tag: String
    /// The digest the tag points at now, nil when the tag does not exist.
    public var currentDigest: String?
    /// The new index's digest; nil while it is known only after publishing (imagetools).
    public var newDigest: String?
    /// The versions the tag points to now and after, when known.
    public var currentVersion: String?
    public var newVersion: String?
    public var change: PendingTagRow.Change
    public var warnings: [PendingTagRow.Warning]

    public init(
        registry: String, tag: String, currentDigest: String?, newDigest: String?, currentVersion: String? = nil, newVersion: String? = nil,
        change: PendingTagRow.Change, warnings: [PendingTagRow.Warning] = [], image: String? = nil
    ) {
        self.image = image.map(Sanitizer.clean)
        self.registry = Sanitizer.clean(registry)
        self.tag = Sanitizer.clean(tag)
        self.currentDigest = currentDigest.map(Sanitizer.clean)
        self.newDigest = newDigest.map(Sanitizer.clean)
        self.currentVersion = currentVersion.map(Sanitizer.clean)
        self.newVersion = newVersion.map(Sanitizer.clean)
        self.change = change
        self.warnings = warnings.map(\.sanitized)
    }

    /// The tag, with its image in a family (`acme/worker:latest`).
    public var imageTag: String { image.map { "\($0):\(tag)" } ?? tag }

    /// `1.3.2 abc123def456`: the version (when known) and the short digest it points to now.
    public var currentText: String {
        guard let currentDigest else { return "—" }
        return [currentVersion, Digest.short(currentDigest)].compactMap { $0 }.joined(separator: " ")
    }

    /// The same after publishing (`new index` while its digest is not known yet).
    public var newText: String {
        [newVersion, newDigest.map(Digest.short) ?? "new index"].compactMap { $0 }.joined(separator: " ")
    }
}

/// What the pending tags screen and the confirmation dialog show.
public struct PendingTagsViewModel: Hashable, Sendable {
    public var version: String
    public var rows: [PendingTagRow]
    /// The flow asks for the version to be typed (existing tags move).
    public var requiresTypedVersion: Bool
    /// Publishing, or pointing the tags back (a rollback's preview).
    public var purpose: ConfirmationPurpose
    /// What the flow said about the set beside its rows (a rollback keeps the tags its release created).
    public var notes: [String]

    public init(version: String, rows: [PendingTagRow], requiresTypedVersion: Bool, purpose: ConfirmationPurpose = .publish, notes: [String] = []) {
        self.version = Sanitizer.clean(version)
        self.rows = rows
        self.requiresTypedVersion = requiresTypedVersion
        self.purpose = purpose
        self.notes = notes.map(Sanitizer.clean)
    }

    public static let empty = PendingTagsViewModel(version: "", rows: [], requiresTypedVersion: false)

    /// Existing tags that move.
    public var moves: [PendingTagRow] { rows.filter { $0.change == .move } }
    /// Tags that differ between registries before publishing (`acme/worker:latest` in a
    /// family: the images' own tags of one name are different tags).
    public var driftingTags: Set<String> {
        Set(Dictionary(grouping: rows, by: \.imageTag).filter { Set($0.value.map(\.currentDigest)).count > 1 }.keys)
    }

    /// The rows span a family's images.
    public var isFamily: Bool { rows.contains { $0.image != nil } }

    /// Counts of new, moved and unchanged tags.
    public func count(_ change: PendingTagRow.Change) -> Int { rows.filter { $0.change == change }.count }
}
