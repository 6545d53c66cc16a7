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

    /// Whether `tag` is a digest's attachment rather than a release: the referrers tag
    /// schema's `sha256-<hex>`, or cosign's `sha256-<hex>.sig` / `.att` / `.sbom`.
    public static func isAttachmentTag(_ tag: String) -> Bool {
        guard tag.hasPrefix("sha256-") else { return false }
        let rest = tag.dropFirst(7)
        let hex = rest.prefix { $0.isHexDigit }
        return hex.count == 64 && ["", ".sig", ".att", ".sbom"].contains(String(rest.dropFirst(64)))
    }

    /// `sha256:<hex>` → `sha256-<hex>.sig`: where cosign stores the subject's signatures.
    public static func cosignSignatureTag(for digest: String) -> String {
        fallbackTag(for: digest) + ".sig"
    }
}
