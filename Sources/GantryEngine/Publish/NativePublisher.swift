import Foundation

/// Gantry's own publisher, step by step: compose the index (each platform checked against
/// its image config) → compare it with the confirmed digest → check every tag at once (a
/// move found here leaves the registry untouched) → push the index by digest → for each
/// tag, re-resolve it and refuse if it moved since confirmation, then PUT it. Every tag gets
/// the same bytes, so every tag has the index's digest. A promotion's index exists already:
/// its bytes are read by digest instead of composed.
public struct NativePublisher: IndexPublisher {
    public let client: RegistryClient
    public let composer: IndexComposer

    public init(client: RegistryClient, attestations: AttestationPolicy) {
        self.client = client
        self.composer = IndexComposer(client: client, attestations: attestations)
    }

    public func publish(_ plan: RegistryPublishPlan, stop: StopRequest) async throws -> String {
        let repository = plan.repository
        let index: (bytes: Data, digest: String, mediaType: String)
        if plan.target.existing == true, let digest = plan.target.digest {
            let fetched = try await client.manifest(repository.with(digest: digest))
            index = (fetched.bytes, fetched.digest, fetched.mediaType)
        } else {
            let composed = try await composer.compose(plan.target.sources, in: repository, annotations: plan.target.annotations ?? [:])
            if let confirmed = plan.target.digest, confirmed != composed.digest {
                throw PublishError(.indexChanged, "\(repository.name): the index composed now is \(Digest.short(composed.digest)), not the confirmed \(Digest.short(confirmed)); nothing was written")
            }
            index = (composed.bytes, composed.digest, MediaType.ociIndex)
        }
        let guard_ = TagGuard(client: client)
        try await guard_.check(plan.rows, in: repository, registry: plan.target.registry)
        try PublishError.stopIfRequested(stop, repository, written: [])
        let pushed = try await client.putManifest(repository, reference: index.digest, mediaType: index.mediaType, bytes: index.bytes)
        guard pushed == index.digest else {
            throw PublishError(.registryRewrote, "\(repository.name) stored the index as \(pushed), expected \(index.digest); no tag was written")
        }
        var written: [String] = []
        for row in plan.rows {
            try await guard_.check(row, in: repository, written: written)
            if row.change == .unchanged { continue }
            try PublishError.stopIfRequested(stop, repository, written: written)
            do {
                _ = try await client.putManifest(repository, reference: row.tag, mediaType: index.mediaType, bytes: index.bytes)
            } catch {
                throw PublishError(.tagWrite, "\(repository.with(tag: row.tag)): \(RecordedError(error).message)", written: written)
            }
            written.append(row.tag)
        }
        return index.digest
    }
}
