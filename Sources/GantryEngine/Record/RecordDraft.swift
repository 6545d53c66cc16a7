import Foundation

/// Everything a publication's records say before it knows its registries' results: who,
/// what, from which source, and how records are made (signed, required). Each registry's
/// publisher completes it with its index and its tag moves (`record(…)`).
public struct RecordDraft: Sendable, Equatable {
    public var kind: ReleaseRecord.Kind
    public var release: String
    public var version: String?
    public var revision: String?
    public var dirty: Bool?
    public var gitTag: String?
    public var author: RecordAuthor
    public var configDigest: String?
    /// Signs every index published and every record (`sign:`).
    public var key: SigningKey?
    /// A record that cannot be pushed fails the registry before its tags move (`require: {record: true}`).
    public var required: Bool

    public init(
        kind: ReleaseRecord.Kind, release: String, version: String?, revision: String? = nil, dirty: Bool? = nil, gitTag: String? = nil,
        author: RecordAuthor = .current(), configDigest: String? = nil, key: SigningKey? = nil, required: Bool = false
    ) {
        self.kind = kind
        self.release = release
        self.version = version
        self.revision = revision
        self.dirty = dirty
        self.gitTag = gitTag
        self.author = author
        self.configDigest = configDigest
        self.key = key
        self.required = required
    }

    /// The draft of `journal`'s publications, made with `policy`.
    public init(_ journal: ReleaseJournal, policy: RecordPolicy, kind: ReleaseRecord.Kind? = nil) {
        self.init(
            kind: kind ?? ReleaseRecord.Kind(journal.kind), release: journal.id.rawValue, version: journal.version?.description,
            revision: journal.settings?.revision, dirty: journal.settings?.workTreeDirty, gitTag: policy.gitTag,
            author: policy.author, configDigest: journal.settings?.configDigest, key: policy.key, required: policy.required)
    }

    /// The record of one registry: `subject` (the index the tags now point to, `bytes` its
    /// manifest) and every tag moved or created there, with what it pointed to before.
    func record(in repository: ImageReference, subject: String, bytes: Data, moves: [ReleaseRecord.TagMove], at date: Date) -> ReleaseRecord {
        let entries = (try? ManifestContent.parse(bytes, mediaType: MediaType.ociIndex)).flatMap { content -> [Descriptor]? in
            if case .index(let index) = content { index.manifests } else { nil }
        } ?? []
        let platforms = entries.filter { !$0.isAttestation }.compactMap { entry in
            entry.platform.map { ReleaseRecord.RecordedPlatform(platform: $0.description, digest: entry.digest) }
        }
        return ReleaseRecord(
            format: ReleaseRecord.currentFormat, kind: kind, release: release, registry: repository.registry, repository: repository.repository,
            version: version, revision: revision, dirty: dirty, gitTag: gitTag, author: author, at: date, gantryVersion: GantryVersion.current,
            configDigest: configDigest, index: subject, platforms: platforms, tags: moves, signed: key != nil)
    }
}

extension ReleaseRecord.Kind {
    /// The record kind of a journal's publications.
    init(_ kind: ReleaseJournal.Kind) {
        switch kind {
        case .release, .build: self = .release
        case .publish: self = .publish
        case .rollback: self = .rollback
        case .promote: self = .promote
        case .tag: self = .tag
        }
    }
}

extension SigningKey: Equatable {
    public static func == (lhs: SigningKey, rhs: SigningKey) -> Bool {
        lhs.source == rhs.source && lhs.key.publicKey.rawRepresentation == rhs.key.publicKey.rawRepresentation
    }
}
