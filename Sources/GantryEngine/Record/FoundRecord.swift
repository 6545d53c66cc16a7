/// A release record read from a registry, with what vouches for it.
public struct FoundRecord: Codable, Sendable, Hashable {
    public var record: ReleaseRecord
    /// The record's manifest digest.
    public var digest: String
    /// How the registry listed it: the referrers API or the `sha256-<hex>` fallback index.
    public var source: Referrers.Source
    /// The record's own cosign signature: verified with the key given, present but not
    /// checked (no key), bad, or nil when it has none.
    public var signature: SignatureVerdict?
    /// Why the signature is bad.
    public var signatureProblem: String?

    public init(record: ReleaseRecord, digest: String, source: Referrers.Source, signature: SignatureVerdict? = nil, signatureProblem: String? = nil) {
        self.record = record
        self.digest = digest
        self.source = source
        self.signature = signature
        self.signatureProblem = signatureProblem
    }

    /// Whether the record was made for `repository` itself, not carried there by a copy or a
    /// promotion: only those say what happened to its tags.
    public func isAbout(_ repository: ImageReference) -> Bool {
        RegistryHost.canonical(record.registry) == RegistryHost.canonical(repository.registry) && record.repository == repository.repository
    }

    /// "signed (verified)", "signed (not checked: no --key)", "bad signature: …", "unsigned".
    public var signatureStatus: String {
        switch signature {
        case .verified?: "signed (verified)"
        case .unverified?: "signed (not checked: no --key)"
        case .bad?: "bad signature: \(signatureProblem ?? "does not verify")"
        case nil: "unsigned"
        }
    }
}
