import GantryEngine

/// Maps an audit result (and the repository's tag listing) onto the audit screen.
public enum AuditPresenter {
    public static func viewModel(_ result: AuditResult, listing: TagListing?) -> AuditViewModel {
        let attestations = Dictionary(result.attestations.map { ($0.subject, $0.digest) }, uniquingKeysWith: { a, _ in a })
        let shared = listing?.groups.first { $0.digest == result.digest }?.tags.filter { $0 != result.tag } ?? []
        return AuditViewModel(
            reference: result.reference, indexDigest: result.digest,
            platforms: result.platforms.map {
                AuditViewModel.PlatformEntry(platform: $0.platform, digest: $0.digest, attestation: attestations[$0.digest], size: Int($0.size))
            },
            findings: result.findings.map { AuditViewModel.Finding(severity: severity($0.kind), message: $0.description) },
            sharedTags: shared, candidateTags: listing?.groups.flatMap(\.tags).sorted() ?? [])
    }

    static func severity(_ kind: Finding.Kind) -> AuditViewModel.Finding.Severity {
        switch kind {
        case .extraPlatform, .notAnIndex: .warning
        case .missingPlatform, .duplicatePlatform, .drift, .tagMissing, .unreachable: .error
        }
    }
}
