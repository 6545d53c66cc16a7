/// Gantry's own publisher, step by step: compose the index (each platform checked against
/// its image config) → compare it with the confirmed digest → check every tag at once (a
/// move found here leaves the registry untouched) → push the index by digest → for each
/// tag, re-resolve it and refuse if it moved since confirmation, then PUT it. Every tag gets
/// the same bytes, so every tag has the index's digest.
public struct NativePublisher: IndexPublisher {
    public let client: RegistryClient
    public let composer: IndexComposer

    public init(client: RegistryClient, attestations: AttestationPolicy) {
        self.client = client
        self.composer = IndexComposer(client: client, attestations: attestations)
    }

    public func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> String {
        let repository = plan.repository
        let index = try await composer.compose(plan.target.sources, in: repository, annotations: plan.target.annotations ?? [:])
        if let confirmed = plan.target.digest, confirmed != index.digest {
            throw PublishError(.indexChanged, "\(repository.name): the index composed now is \(Digest.short(index.digest)), not the confirmed \(Digest.short(confirmed)); nothing was written")
        }
        let guard_ = TagGuard(client: client)
        try await guard_.check(plan.rows, in: repository, registry: plan.target.registry)
        try PublishError.stopIfRequested(stop, repository, written: [])
        let pushed = try await client.putManifest(repository, reference: index.digest, mediaType: MediaType.ociIndex, bytes: index.bytes)
        guard pushed == index.digest else {
            throw PublishError(.registryRewrote, "\(repository.name) stored the index as \(pushed), expected \(index.digest); no tag was written")
        }
        var written: [String] = []
        for row in plan.rows {
            try await guard_.check(row, in: repository, written: written)
            if row.change == .unchanged { continue }
            try PublishError.stopIfRequested(stop, repository, written: written)
            do {
                _ = try await client.putManifest(repository, reference: row.tag, mediaType: MediaType.ociIndex, bytes: index.bytes)
            } catch {
                throw PublishError(.tagWrite, "\(repository.with(tag: row.tag)): \(RecordedError(error).message)", written: written)
            }
            written.append(row.tag)
        }
        return index.digest
    }
}
