import GantryEngine

/// Maps an audit (the repository's tag listing, the repairs the engine proposes) onto the audit screen.
public enum AuditPresenter {
    /// The first result is the reference shown; every result (the same tag in the other
    /// registries) gets a row side by side, and its findings rows below, named by registry,
    /// each with its repair from `advice` or the reason there is none.
    public static func viewModel(_ report: AuditReport, listing: TagListing?, advice: RepairAdvice) -> AuditViewModel {
        guard let result = report.results.first else { return .empty }
        let attestations = Dictionary(result.attestations.map { ($0.subject, $0.digest) }, uniquingKeysWith: { a, _ in a })
        let shared = listing?.groups.first { $0.digest == result.digest }?.tags.filter { $0 != result.tag } ?? []
        let named = report.results.count > 1
        // A family's audit spans its images: each row and finding names its repository too.
        let images = Set(report.results.map(\.repository)).count > 1
        let tags = Set(report.results.map(\.tag)).count > 1
        var findings: [AuditViewModel.Finding] = []
        var seen: Set<String> = []
        for audited in report.results {
            for finding in audited.findings {
                let place = images ? "\(audited.registry)/\(audited.repository)" : audited.registry
                let named = named && !finding.message.contains(place)
                let message = (named ? place + ": " : "") + finding.message
                guard seen.insert(finding.kind.rawValue + message).inserted else { continue }
                let repair = advice.repair(for: audited.reference)
                let note = repair.map { "repair: \($0.operation.command) (\($0.reason))" }
                    ?? "no repair: " + (advice.unrepaired[audited.reference] ?? "none proposed")
                findings.append(AuditViewModel.Finding(
                    severity: severity(finding.kind), kind: finding.kind.rawValue, message: message, repair: repair?.operation, advice: note))
            }
            // What could not be checked is shown as the CLI shows it: the verdict is incomplete, never "no findings".
            for gap in audited.unchecked {
                findings.append(AuditViewModel.Finding(
                    severity: .error, kind: "not-checked", message: "\(audited.reference): \(gap)",
                    advice: "no repair: " + (advice.unrepaired[audited.reference] ?? "audit again once the registry answers")))
            }
        }
        return AuditViewModel(
            reference: result.reference,
            registries: report.results.map {
                AuditViewModel.RegistryEntry(
                    registry: $0.registry, digest: $0.digest, platforms: $0.platforms.map(\.platform),
                    version: $0.version, problems: $0.findings.count + $0.unchecked.count, image: images ? $0.repository : nil,
                    tag: tags ? $0.tag : nil, reference: $0.reference, record: $0.record.map { "\($0.record.summary) · \($0.signatureStatus)" })
            },
            platforms: result.platforms.map {
                AuditViewModel.PlatformEntry(platform: $0.platform, digest: $0.digest, attestation: attestations[$0.digest], size: Int($0.size))
            },
            findings: findings, sharedTags: shared, candidateTags: listing?.groups.flatMap(\.tags).sorted() ?? [])
    }

    static func severity(_ kind: Finding.Kind) -> AuditViewModel.Finding.Severity {
        switch kind {
        case .extraPlatform, .notAnIndex: .warning
        case .missingPlatform, .duplicatePlatform, .platformMismatch, .drift, .tagMissing, .unreachable, .unsigned, .badSignature, .badRecord: .error
        }
    }
}
