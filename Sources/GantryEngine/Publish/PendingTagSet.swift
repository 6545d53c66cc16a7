/// For every registry × tag: what it points to now, what it will point to, the change
/// and its warnings. The engine publishes only with a confirmation of this set.
public struct PendingTagSet: Codable, Sendable, Equatable {
    public var rows: [PendingTag]
    /// The index each registry will receive.
    public var targets: [IndexTarget]
    /// Warnings about the whole set (the work tree it was built from had uncommitted
    /// changes); nil when there are none, and in journals of a Gantry without them.
    public var warnings: [PendingWarning]?

    public init(rows: [PendingTag], targets: [IndexTarget], warnings: [PendingWarning]? = nil) {
        self.rows = rows
        self.targets = targets
        self.warnings = warnings
    }

    /// The rows of `registry`, in tag order.
    public func rows(for registry: String) -> [PendingTag] { rows.filter { $0.registry == registry } }

    /// Tags that will be written (new or moved, not held back).
    public func tagsToWrite(for registry: String) -> [String] {
        rows(for: registry).filter { $0.change == .new || $0.change == .move }.map(\.tag)
    }

    /// The target of `registry`.
    public func target(for registry: String) -> IndexTarget? { targets.first { $0.registry == registry } }

    /// Tags held back from publishing (a downgrade without `--allow-downgrade`).
    public var held: [PendingTag] { rows.filter { $0.change == .held } }

    /// Existing tags that will point somewhere else: confirming these asks for the typed version.
    public var moves: [PendingTag] { rows.filter { $0.change == .move } }
}

/// One registry × tag of a pending tag set.
public struct PendingTag: Codable, Sendable, Equatable {
    public var registry: String
    public var tag: String
    /// What the tag points to now; nil when it does not exist.
    public var current: TagTarget?
    public var new: TagTarget
    public var change: Change
    public var warnings: [PendingWarning]
    /// The family member (`acme/app`, `acme/app:slim`), in a family's pending set (whose rows
    /// span images); nil otherwise.
    public var member: String?

    public init(registry: String, tag: String, current: TagTarget?, new: TagTarget, change: Change, warnings: [PendingWarning] = [], member: String? = nil) {
        self.member = member
        self.registry = registry
        self.tag = tag
        self.current = current
        self.new = new
        self.change = change
        self.warnings = warnings
    }

    /// The platforms the tag has now and would not have once moved (its `lostPlatforms` warning).
    public var lostPlatforms: [Platform] {
        guard let current else { return [] }
        return Set(current.platforms).subtracting(new.platforms).sorted()
    }

    /// What happens to the tag.
    public enum Change: String, Codable, Sendable {
        /// The tag does not exist yet.
        case new
        /// The tag exists and moves to the new index.
        case move
        /// The tag already points to the new index.
        case unchanged
        /// The tag would move to a lower version; kept where it is.
        case held
    }
}

/// What a tag points to: a digest, its platforms and the version, when known.
public struct TagTarget: Codable, Sendable, Equatable {
    /// nil while the digest is known only after publishing (imagetools).
    public var digest: String?
    public var mediaType: String?
    public var platforms: [Platform]
    public var version: SemanticVersion?

    public init(digest: String?, mediaType: String? = nil, platforms: [Platform], version: SemanticVersion? = nil) {
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.version = version
    }
}

/// A warning on one pending tag.
public struct PendingWarning: Codable, Sendable, Equatable, CustomStringConvertible {
    public var kind: Kind
    public var message: String

    public enum Kind: String, Codable, Sendable {
        /// The current target has platforms the new index lacks.
        case lostPlatforms = "lost-platforms"
        /// The tag would move to a lower version.
        case downgrade
        /// The same tag points to different digests in different registries now.
        case drift
        /// A full-version tag (`1.4.2`) holds a published index and would get other bytes.
        case versionRewrite = "version-rewrite"
        /// The release was built from a work tree with uncommitted changes.
        case dirtyWorkTree = "dirty-work-tree"
        /// Not a danger: the publication will be signed with the configured key.
        case signing
    }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The index one registry receives: its digest (when known in advance) and platforms.
public struct IndexTarget: Codable, Sendable, Equatable {
    public var registry: String
    public var digest: String?
    public var platforms: [Platform]
    /// Per platform, the manifest (or per-platform index) digest used as a source.
    public var sources: [PlatformSource]
    /// The index exists already under `digest` (a promotion): it is published as it is,
    /// not composed from `sources`.
    public var existing: Bool?
    /// The index's annotations; nil in journals of a Gantry without them.
    public var annotations: [String: String]?
    /// The family member whose index this is, in a family's pending set; nil otherwise.
    public var member: String?

    public init(
        registry: String, digest: String?, platforms: [Platform], sources: [PlatformSource], existing: Bool? = nil,
        annotations: [String: String] = [:]
    ) {
        self.registry = registry
        self.digest = digest
        self.platforms = platforms
        self.sources = sources
        self.existing = existing
        self.annotations = annotations
    }

    /// The annotations as `imagetools create --annotation` takes them, by key.
    public var sortedAnnotations: [(key: String, value: String)] {
        IndexAnnotations.sorted(annotations ?? [:])
    }
}

/// One platform's digest as a publishing source.
public struct PlatformSource: Codable, Sendable, Equatable, Hashable {
    public var platform: Platform
    /// What the builder pushed: a manifest, or an index of the manifest and its attestation.
    public var digest: String
    public init(platform: Platform, digest: String) {
        self.platform = platform
        self.digest = digest
    }
}
