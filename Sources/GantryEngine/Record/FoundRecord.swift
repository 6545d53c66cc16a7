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
