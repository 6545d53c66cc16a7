/// The artifacts (signatures, SBOMs, attestations) that name one manifest as their
/// subject, and how the registry told: its OCI 1.1 referrers API, or the fallback index
/// tagged `sha256-<hex>` that clients keep where the API is missing.
public struct Referrers: Sendable, Equatable {
    public var descriptors: [Descriptor]
    public var source: Source

    public enum Source: String, Sendable, Codable {
        /// `GET /v2/<name>/referrers/<digest>`.
        case api
        /// The index tagged `sha256-<hex>`.
        case tagSchema = "tag-schema"
    }

    /// `sha256:<hex>` → `sha256-<hex>`: the referrers tag schema's tag for a subject.
    public static func fallbackTag(for digest: String) -> String {
        digest.replacingOccurrences(of: ":", with: "-")
    }

    /// `sha256:<hex>` → `sha256-<hex>.sig`: where cosign stores the subject's signatures.
    public static func cosignSignatureTag(for digest: String) -> String {
        fallbackTag(for: digest) + ".sig"
    }
}
