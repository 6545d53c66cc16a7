import GantryEngine

/// Accumulates the engine's per-registry publication events into the publish screen; a
/// family's are per image and registry, in the pending set's order (grouped by image).
public struct PublishPresenter: Sendable {
    private var rows: [PublishViewModel.RegistryRow]
    private var verifications: [Key: [PublishViewModel.VerificationRow]] = [:]
    /// Registries (of an image, in a family) this run has seen a publication event of.
    private var reported: Set<Key> = []
    private let pending: PendingTagSet

    /// A registry, of a family member in a family.
    private struct Key: Hashable, Sendable {
        var image: String?
        var registry: String
    }

    /// Every registry (of every image) waiting, with the tags `pending` writes to it.
    public init(pending: PendingTagSet) {
        self.pending = pending
        rows = pending.targets.map { target in
            PublishViewModel.RegistryRow(
                registry: target.registry, phase: .waiting, done: 0,
                total: Self.published(pending, Key(image: target.member, registry: target.registry)), image: target.member)
        }
    }

    /// How many tags `pending` publishes to `key`'s registry, unchanged ones included (re-verified).
    private static func published(_ pending: PendingTagSet, _ key: Key) -> Int {
        pending.rows.filter { $0.member == key.image && $0.registry == key.registry && $0.change != .held }.count
    }

    public var viewModel: PublishViewModel {
        PublishViewModel(registries: rows, verifications: rows.flatMap { verifications[Key(image: $0.image, registry: $0.registry)] ?? [] })
    }

    /// Takes in one registry's new state (`image`: the family member it publishes).
    public mutating func apply(_ publication: ReleaseJournal.RegistryPublication, image: String? = nil) {
        let key = Key(image: image, registry: publication.registry)
        let total = Self.published(pending, key)
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
        let earlier = publication.state == .verified && !reported.contains(key)
        reported.insert(key)
        let row = PublishViewModel.RegistryRow(
            registry: publication.registry, phase: phase, done: done, total: total,
            message: publication.error?.message ?? (publication.state == .skipped ? "skipped" : earlier ? "verified earlier" : ""), image: image)
        if let i = rows.firstIndex(where: { Key(image: $0.image, registry: $0.registry) == key }) { rows[i] = row } else { rows.append(row) }
        let target = pending.targets.first { $0.member == image && $0.registry == publication.registry }
        let expected = publication.indexDigest ?? target?.digest ?? ""
        verifications[key] = publication.verification.map { v in
            let result: PublishViewModel.VerificationRow.Result
            if v.ok { result = .verified } else if v.digest == nil { result = .missing } else if let actual = v.digest, actual != expected {
                result = .mismatch(actual: actual)
            } else { result = .error(v.problems.joined(separator: "; ")) }
            return PublishViewModel.VerificationRow(registry: v.registry, tag: v.tag, expectedDigest: expected, result: result, image: image)
        }
    }
}
