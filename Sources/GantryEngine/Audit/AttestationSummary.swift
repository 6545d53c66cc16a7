import Foundation

/// What an in-toto attestation says, in a line: for SLSA provenance (v0.2 or v1, as
/// BuildKit writes it) the builder and the source repository and revision; for an SBOM
/// (SPDX or CycloneDX) how many packages it lists.
public struct AttestationSummary: Codable, Sendable, Hashable {
    /// `in-toto.io/predicate-type`.
    public var predicateType: String
    public var builderID: String?
    public var sourceRepository: String?
    public var revision: String?
    /// SBOMs: the number of packages (SPDX) or components (CycloneDX).
    public var packages: Int?

    public var isProvenance: Bool { predicateType.hasPrefix("https://slsa.dev/provenance/") }
    public var isSBOM: Bool { packages != nil }

    static let buildkitMetadata = "https://mobyproject.org/buildkit@v1#metadata"

    /// Summarises one in-toto statement; nil when it is not JSON with a predicate type.
    public init?(statement: Data, predicateType declared: String?) {
        guard let json = (try? JSONSerialization.jsonObject(with: statement)) as? [String: Any],
              let type = declared ?? (json["predicateType"] as? String) else { return nil }
        predicateType = type
        let predicate = json["predicate"] as? [String: Any] ?? [:]
        if type.hasPrefix("https://slsa.dev/provenance/") {
            // v0.2: builder, invocation.configSource, metadata; v1: runDetails, buildDefinition.externalParameters.
            let runDetails = predicate["runDetails"] as? [String: Any]
            builderID = Self.string(predicate, "builder", "id") ?? runDetails.flatMap { Self.string($0, "builder", "id") }
            let metadata = (predicate["metadata"] ?? runDetails?["metadata"]) as? [String: Any]
            let vcs = (metadata?[Self.buildkitMetadata] as? [String: Any])?["vcs"] as? [String: Any]
            let configSource = (predicate["invocation"] as? [String: Any])?["configSource"] as? [String: Any]
                ?? ((predicate["buildDefinition"] as? [String: Any])?["externalParameters"] as? [String: Any])?["configSource"] as? [String: Any]
            sourceRepository = vcs?["source"] as? String ?? configSource?["uri"] as? String
            revision = vcs?["revision"] as? String ?? (configSource?["digest"] as? [String: Any])?["sha1"] as? String
        } else if type.hasPrefix("https://spdx.dev/Document") {
            packages = (predicate["packages"] as? [Any])?.count ?? 0
        } else if type.hasPrefix("https://cyclonedx.org/bom") {
            packages = (predicate["components"] as? [Any])?.count ?? 0
        }
    }

    private static func string(_ object: [String: Any], _ key: String, _ field: String) -> String? {
        (object[key] as? [String: Any])?[field] as? String
    }

    /// `provenance: builder …, source …@rev` or `sbom: N packages`.
    public var line: String {
        if isSBOM { return "sbom: \(packages ?? 0) \(packages == 1 ? "package" : "packages")" }
        if isProvenance {
            let source = [sourceRepository, revision.map { String($0.prefix(12)) }].compactMap { $0 }.joined(separator: "@")
            return "provenance: builder \(builderID ?? "-"), source \(source.isEmpty ? "-" : source)"
        }
        return predicateType
    }
}
