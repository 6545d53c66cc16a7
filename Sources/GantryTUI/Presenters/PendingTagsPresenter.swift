import GantryEngine

/// Maps the engine's pending tag set onto the pending tags screen and the confirmation.
public enum PendingTagsPresenter {
    public static func viewModel(_ request: ConfirmationRequest) -> PendingTagsViewModel {
        let typed: Bool
        if case .typedVersion = request.requirement { typed = true } else { typed = false }
        return PendingTagsViewModel(version: request.version?.description ?? "", rows: request.pending.rows.map { row in
            PendingTagRow(
                registry: row.registry, tag: row.tag, currentDigest: row.current?.digest, newDigest: row.new.digest,
                currentVersion: row.current?.version?.description, newVersion: row.new.version?.description, change: change(row.change),
                warnings: row.warnings.map { warning(for: $0, row: row) }, image: row.member)
        }, requiresTypedVersion: typed, purpose: request.purpose, notes: (request.pending.warnings ?? []).map(\.message))
    }

    static func change(_ change: PendingTag.Change) -> PendingTagRow.Change {
        switch change {
        case .new: .new
        case .move: .move
        case .unchanged: .unchanged
        case .held: .held
        }
    }

    static func warning(for warning: PendingWarning, row: PendingTag) -> PendingTagRow.Warning {
        switch warning.kind {
        case .lostPlatforms:
            let lost = row.lostPlatforms
            return lost.isEmpty ? .other(warning.message) : .lostPlatforms(lost)
        case .downgrade:
            guard let from = row.current?.version, let to = row.new.version else { return .other(warning.message) }
            return .downgrade(from: from.description, to: to.description)
        case .drift:
            return .drift
        case .versionRewrite, .dirtyWorkTree, .signing:
            return .other(warning.message)
        }
    }
}
