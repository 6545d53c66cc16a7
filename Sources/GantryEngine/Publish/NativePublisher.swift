import Foundation

/// Gantry's own publisher, step by step: compose the index (each platform checked against
/// its image config) → compare it with the confirmed digest → check every tag at once (a
/// move found here leaves the registry untouched) → push the index by digest → write every
/// tag at once, each re-resolved right before its own PUT: a tag that moved since
/// confirmation is refused and left alone. Every tag gets the same bytes, so every tag has
/// the index's digest. Writing the tags together costs the round trips of one tag however
/// many there are; the refusal waits for the writes in flight and names exactly the tags
/// they moved. The release record (and signatures) is pushed while the tags are checked and
/// the index pushed, and is in the registry before any tag moves.
public struct NativePublisher: IndexPublisher {
    public let client: RegistryClient
    public let composer: IndexComposer

    public init(client: RegistryClient, attestations: AttestationPolicy) {
        self.client = client
        self.composer = IndexComposer(client: client, attestations: attestations)
    }

    public func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> IndexPublication {
        let repository = plan.repository
        // The confirmed bytes, when the journal holds them: the record starts at once, while
        // the index is composed again to check them (its round trips hide the record's).
        let journaled = Self.journaled(plan)
        let index: PublishedIndex
        if let journaled {
            index = journaled
        } else if plan.target.existing == true, let digest = plan.target.digest {
            // An index fixed already (confirmed by an earlier run, or promoted) is published as it is, byte for byte.
            index = try await existing(digest, plan)
        } else {
            index = try await compose(plan)
        }
        async let recorded = record(plan, index)
        if journaled != nil, plan.target.existing != true { _ = try await compose(plan) }
        let guard_ = TagGuard(client: client)
        try await guard_.check(plan.rows, in: repository, registry: plan.target.registry)
        try PublishError.stopIfRequested(stop, repository, written: [])
        // A family staged its index before any of its tags moved: pushing it again here would
        // come after another image's tags.
        if plan.stagedIndex != index.digest {
            let pushed = try await client.putManifest(repository, reference: index.digest, mediaType: index.mediaType, bytes: index.bytes)
            guard pushed == index.digest else {
                throw PublishError(.registryRewrote, "\(repository.name) stored the index as \(pushed), expected \(index.digest); no tag was written")
            }
        }
        let receipt = try await recorded
        let outcomes = await withTaskGroup(of: (Int, TagWrite).self) { group in
            for (i, row) in plan.rows.enumerated() {
                group.addTask { (i, await write(row, index, in: repository, guard: guard_, stop: stop)) }
            }
            var outcomes = [TagWrite](repeating: .unchanged, count: plan.rows.count)
            for await (i, outcome) in group { outcomes[i] = outcome }
            return outcomes
        }
        let written = zip(plan.rows, outcomes).filter { $0.1 == .written }.map(\.0.tag)
        let moves = outcomes.compactMap { outcome -> TagMovedError.Move? in
            if case .moved(let move) = outcome { move } else { nil }
        }
        if !moves.isEmpty { throw TagMovedError(registry: plan.target.registry, moves: moves, written: written) }
        let rewritten = zip(plan.rows, outcomes).filter { if case .rewritten = $0.1 { true } else { false } }.map(\.0.tag)
        if let failure = outcomes.lazy.compactMap(\.message).first { throw PublishError(.tagWrite, failure, written: written, rewritten: rewritten) }
        if outcomes.contains(.stopped) { try PublishError.stopIfRequested(stop, repository, written: written) }
        return IndexPublication(digest: index.digest, record: receipt)
    }

    /// Pushes the plan's release record about `index`, when it asks for one.
    private func record(_ plan: RegistryPublishPlan, _ index: PublishedIndex) async throws -> RecordReceipt? {
        guard let draft = plan.record else { return nil }
        let subject = Descriptor(mediaType: index.mediaType, digest: index.digest, size: Int64(index.bytes.count))
        return try await RecordWriter(client: client).push(draft, subject: subject, bytes: index.bytes, rows: plan.rows, in: plan.repository)
    }

    /// The index composed from the plan's platforms, which must be the confirmed one.
    private func compose(_ plan: RegistryPublishPlan) async throws -> PublishedIndex {
        let composed = try await composer.compose(plan.target.sources, in: plan.content, annotations: plan.target.annotations ?? [:])
        if let confirmed = plan.target.digest, confirmed != composed.digest {
            throw PublishError(.indexChanged, "\(plan.repository.name): the index composed now is \(Digest.short(composed.digest)), not the confirmed \(Digest.short(confirmed)); no tag was written")
        }
        return PublishedIndex(bytes: composed.bytes, digest: composed.digest, mediaType: MediaType.ociIndex)
    }

    /// The journaled bytes of the confirmed index, when they are known and are that index.
    private static func journaled(_ plan: RegistryPublishPlan) -> PublishedIndex? {
        guard let confirmed = plan.target.digest, let journaled = plan.index, journaled.digest == confirmed, let bytes = journaled.bytes,
              ContentDigest.sha256(bytes) == confirmed else { return nil }
        return PublishedIndex(bytes: bytes, digest: confirmed, mediaType: journaled.mediaType)
    }

    /// The bytes of the fixed index `digest`: the journaled ones, else read from the
    /// registry, else from where the platforms are read (a registry that lacks it yet).
    private func existing(_ digest: String, _ plan: RegistryPublishPlan) async throws -> PublishedIndex {
        if let journaled = plan.index, journaled.digest == digest, let bytes = journaled.bytes {
            guard ContentDigest.sha256(bytes) == digest else {
                throw PublishError(.indexChanged, "the journaled index is not \(Digest.short(digest)) any more; nothing was written")
            }
            return PublishedIndex(bytes: bytes, digest: digest, mediaType: journaled.mediaType)
        }
        let read: (ImageReference) async throws -> PublishedIndex = { holder in
            let fetched = try await client.manifest(holder.with(digest: digest))
            return PublishedIndex(bytes: fetched.bytes, digest: fetched.digest, mediaType: fetched.mediaType)
        }
        do {
            return try await read(plan.repository)
        } catch let error as RegistryError where error.kind == .notFound && plan.content != plan.repository {
            return try await read(plan.content)
        }
    }

    /// The bytes every tag of the registry gets.
    private struct PublishedIndex: Sendable {
        var bytes: Data
        var digest: String
        var mediaType: String
    }

    /// What became of one tag.
    private enum TagWrite: Equatable {
        case written, unchanged, stopped
        case moved(TagMovedError.Move)
        /// Not written: its check or its PUT failed.
        case failed(String)
        /// Written, but the registry stored another body than the index: the tag points there.
        case rewritten(String)

        /// Why the tag is not at the index, for a failure.
        var message: String? {
            switch self {
            case .failed(let message), .rewritten(let message): message
            default: nil
            }
        }
    }

    /// Re-resolves `row`'s tag, then (unless it moved, is unchanged, or a stop was
    /// requested meanwhile) points it at the index.
    private func write(_ row: PendingTag, _ index: PublishedIndex, in repository: ImageReference, guard guard_: TagGuard, stop: StopRequest) async -> TagWrite {
        let reference = repository.with(tag: row.tag)
        do {
            if let move = try await guard_.movement(of: row, in: repository) { return .moved(move) }
        } catch {
            return .failed("\(reference) was not written: checking it again failed: \(RecordedError(error).message)")
        }
        if row.change == .unchanged { return .unchanged }
        if stop.isRequested { return .stopped }
        do {
            _ = try await client.putManifest(repository, reference: row.tag, mediaType: index.mediaType, bytes: index.bytes)
            return .written
        } catch let error as RegistryError where error.kind == .digestMismatch {
            return .rewritten("\(reference): \(RecordedError(error).message)")
        } catch {
            return .failed("\(reference): \(RecordedError(error).message)")
        }
    }
}
