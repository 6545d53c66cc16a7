import GantryEngine

/// Maps an audit (and the repository's tag listing) onto the audit screen.
public enum AuditPresenter {
    /// The first result is the reference shown; findings of the others (the same tag in the
    /// other registries) are listed too, named by registry, so drift shows at a glance.
    public static func viewModel(_ report: AuditReport, listing: TagListing?) -> AuditViewModel {
        guard let result = report.results.first else { return .empty }
        let attestations = Dictionary(result.attestations.map { ($0.subject, $0.digest) }, uniquingKeysWith: { a, _ in a })
        let shared = listing?.groups.first { $0.digest == result.digest }?.tags.filter { $0 != result.tag } ?? []
        let named = report.results.count > 1
        var findings: [AuditViewModel.Finding] = []
        var seen: Set<String> = []
        for audited in report.results {
            for finding in audited.findings {
                let named = named && !finding.message.contains(audited.registry)
                let message = (named ? audited.registry + ": " : "") + finding.description
                if seen.insert(message).inserted { findings.append(AuditViewModel.Finding(severity: severity(finding.kind), message: message)) }
            }
        }
        return AuditViewModel(
            reference: result.reference, indexDigest: result.digest,
            platforms: result.platforms.map {
                AuditViewModel.PlatformEntry(platform: $0.platform, digest: $0.digest, attestation: attestations[$0.digest], size: Int($0.size))
            },
            findings: findings, sharedTags: shared, candidateTags: listing?.groups.flatMap(\.tags).sorted() ?? [])
    }

    static func severity(_ kind: Finding.Kind) -> AuditViewModel.Finding.Severity {
        switch kind {
        case .extraPlatform, .notAnIndex: .warning
        case .missingPlatform, .duplicatePlatform, .drift, .tagMissing, .unreachable, .unsigned, .badSignature: .error
        }
    }
}
