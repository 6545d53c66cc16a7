import GantryEngine

/// Accumulates the engine's per-registry publication events into the publish screen.
public struct PublishPresenter: Sendable {
    private var rows: [PublishViewModel.RegistryRow]
    private var verifications: [String: [PublishViewModel.VerificationRow]] = [:]
    /// Registries this run has seen a publication event of.
    private var reported: Set<String> = []
    private let pending: PendingTagSet

    /// Every registry waiting, with the tags `pending` writes to it.
    public init(pending: PendingTagSet) {
        self.pending = pending
        let registries = pending.targets.map(\.registry)
        rows = registries.map { registry in
            PublishViewModel.RegistryRow(registry: registry, phase: .waiting, done: 0, total: pending.tagsPublished(for: registry).count)
        }
    }

    public var viewModel: PublishViewModel {
        PublishViewModel(registries: rows, verifications: rows.flatMap { verifications[$0.registry] ?? [] })
    }

    /// Takes in one registry's new state.
    public mutating func apply(_ publication: ReleaseJournal.RegistryPublication) {
        let total = pending.tagsPublished(for: publication.registry).count
        let phase: PublishViewModel.RegistryRow.Phase
        switch publication.state {
        case .pending: phase = .waiting
        case .publishing: phase = .copying
        case .published: phase = .verifying
        case .verified: phase = publication.verification.allSatisfy(\.ok) ? .done : .failed
        case .failed: phase = .failed
        case .skipped: phase = .done
        }
        let done = publication.state == .published || publication.state == .verified ? total : 0
        // Verified in the first event this run sees of it: a resume found it verified by an earlier run.
        let earlier = publication.state == .verified && !reported.contains(publication.registry)
        reported.insert(publication.registry)
        let row = PublishViewModel.RegistryRow(
            registry: publication.registry, phase: phase, done: done, total: total,
            message: publication.error?.message ?? (publication.state == .skipped ? "skipped" : earlier ? "verified earlier" : ""))
        if let i = rows.firstIndex(where: { $0.registry == publication.registry }) { rows[i] = row } else { rows.append(row) }
        let expected = publication.indexDigest ?? pending.target(for: publication.registry)?.digest ?? ""
        verifications[publication.registry] = publication.verification.map { v in
            let result: PublishViewModel.VerificationRow.Result
            if v.ok { result = .verified } else if v.digest == nil { result = .missing } else if let actual = v.digest, actual != expected {
                result = .mismatch(actual: actual)
            } else { result = .error(v.problems.joined(separator: "; ")) }
            return PublishViewModel.VerificationRow(registry: v.registry, tag: v.tag, expectedDigest: expected, result: result)
        }
    }
}
