/// What one tag in one registry points to, and what is wrong with it.
public struct AuditResult: Codable, Sendable, Hashable {
    /// Registry host (`docker.io`, `127.0.0.1:5000`).
    public var registry: String
    /// Repository path (`acme/app`).
    public var repository: String
    /// The tag audited (or the digest, for a reference by digest).
    public var tag: String
    /// The digest the tag points to; nil when missing or unreachable.
    public var digest: String?
    /// The media type of what the tag points to (an index or a single manifest).
    public var mediaType: String?
    /// Image platforms, in index order; attestation manifests are not among them.
    public var platforms: [AuditedPlatform]
    /// Attestation manifests, each naming its subject platform.
    public var attestations: [AuditedAttestation]
    /// `org.opencontainers.image.created`, else the image config's `created`.
    public var created: String?
    /// `org.opencontainers.image.version` from annotations or config labels.
    public var version: String?
    /// `org.opencontainers.image.revision` from annotations or config labels.
    public var revision: String?
    /// The top-level annotations of what the tag points to (an index's, where GHCR reads the description).
    public var annotations: [String: String]?
    /// cosign signatures (`sha256-<hex>.sig`) of the tag's digest and of each platform manifest.
    public var signatures: [AuditedSignature]
    /// OCI referrers of the tag's digest and of each platform manifest, by artifact type.
    public var referrers: [AuditedReferrer]
    /// The newest release record that moved this tag to its digest (else the digest's newest
    /// record); nil when it has none or the supply chain was not inspected.
    public var record: FoundRecord?
    public var findings: [Finding]
    /// What could not be checked, and why: the verdict on this tag is incomplete.
    public var unchecked: [AuditGap]

    public init(
        registry: String, repository: String, tag: String, digest: String? = nil, mediaType: String? = nil,
        platforms: [AuditedPlatform] = [], attestations: [AuditedAttestation] = [], created: String? = nil,
        version: String? = nil, revision: String? = nil, annotations: [String: String]? = nil,
        signatures: [AuditedSignature] = [], referrers: [AuditedReferrer] = [], findings: [Finding] = [],
        unchecked: [AuditGap] = []
    ) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.attestations = attestations
        self.created = created
        self.version = version
        self.revision = revision
        self.annotations = annotations
        self.signatures = signatures
        self.referrers = referrers
        self.findings = findings
        self.unchecked = unchecked
    }

    /// `registry/repository:tag`.
    public var reference: String {
        Digest.isValid(tag) ? "\(registry)/\(repository)@\(tag)" : "\(registry)/\(repository):\(tag)"
    }

    /// Whether the tag points to an index.
    public var isIndex: Bool { mediaType.map(MediaType.isIndex) ?? false }
}

/// One platform image of an audited tag.
public struct AuditedPlatform: Codable, Sendable, Hashable {
    /// `os/arch[/variant]`, as the index (or the image config) states it.
    public var platform: String
    /// The platform manifest's digest.
    public var digest: String
    public var mediaType: String
    public var size: Int64

    public init(platform: String, digest: String, mediaType: String, size: Int64) {
        self.platform = platform
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
    }
}

/// An attestation manifest (provenance, SBOM) in an index, tied to the image it describes.
public struct AuditedAttestation: Codable, Sendable, Hashable {
    /// The attestation manifest's digest.
    public var digest: String
    /// The digest of the platform manifest it attests.
    public var subject: String
    /// The subject's platform, when the subject is in the same index.
    public var platform: String?
    public var mediaType: String
    public var size: Int64
    /// What each in-toto statement in it says (provenance, SBOM).
    public var summaries: [AttestationSummary]

    public init(digest: String, subject: String, platform: String?, mediaType: String, size: Int64, summaries: [AttestationSummary] = []) {
        self.digest = digest
        self.subject = subject
        self.platform = platform
        self.mediaType = mediaType
        self.size = size
        self.summaries = summaries
    }
}

/// A cosign signature of a digest the audit saw (the tag's, or a platform manifest's).
public struct AuditedSignature: Codable, Sendable, Hashable {
    /// The digest signed.
    public var subject: String
    /// The subject's platform; nil when the subject is what the tag points to.
    public var platform: String?
    /// The signature manifest (`sha256-<hex>.sig`) holding it.
    public var manifest: String
    /// The `docker-reference` the payload names.
    public var identity: String?
    /// A keyless (certificate) signature rather than a key pair's.
    public var keyless: Bool
    public var verdict: SignatureVerdict
    /// Why it is `bad`.
    public var problem: String?

    public init(subject: String, platform: String?, manifest: String, identity: String?, keyless: Bool, verdict: SignatureVerdict, problem: String?) {
        self.subject = subject
        self.platform = platform
        self.manifest = manifest
        self.identity = identity
        self.keyless = keyless
        self.verdict = verdict
        self.problem = problem
    }
}

/// An artifact that names a digest the audit saw as its subject (OCI 1.1 referrers).
public struct AuditedReferrer: Codable, Sendable, Hashable {
    public var subject: String
    /// The subject's platform; nil when the subject is what the tag points to.
    public var platform: String?
    public var digest: String
    /// The artifact type (or, lacking one, the media type) it is listed by.
    public var artifactType: String
    public var size: Int64
    /// How the registry listed it: the referrers API or the `sha256-<hex>` tag schema.
    public var source: Referrers.Source

    public init(subject: String, platform: String?, digest: String, artifactType: String, size: Int64, source: Referrers.Source) {
        self.subject = subject
        self.platform = platform
        self.digest = digest
        self.artifactType = artifactType
        self.size = size
        self.source = source
    }
}

/// The outcome of an audit: one result per registry × tag, in the order asked.
public struct AuditReport: Codable, Sendable, Hashable {
    public var results: [AuditResult]
    /// Commands that would repair tags missing platforms, when the digests are known.
    public var repairs: [RepairSuggestion]
    /// Journals of the audited tags not proposed as repairs, and why.
    public var skippedJournals: [SkippedJournal]

    public init(results: [AuditResult], repairs: [RepairSuggestion] = [], skippedJournals: [SkippedJournal] = []) {
        self.results = results
        self.repairs = repairs
        self.skippedJournals = skippedJournals
    }

    /// Every finding of every result.
    public var findings: [Finding] { results.flatMap(\.findings) }

    /// Whether some registry could not be asked, or something a verdict needed could not be
    /// read: the audit is incomplete, whatever it found.
    public var isIncomplete: Bool { findings.contains { $0.kind == .unreachable } || results.contains { !$0.unchecked.isEmpty } }
}
