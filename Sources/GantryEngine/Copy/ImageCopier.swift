/// Makes what a reference points to exist in another repository under the same digest: an
/// index with every child (platform images and attestations), each image with its config
/// and layers. Manifests go in after everything they refer to, so an interrupted copy
/// leaves no manifest whose content is missing, and copying again goes on where it stopped.
///
/// What the target holds is skipped (HEAD); blobs are mounted when source and target share
/// a registry, else streamed, several at once (bounded per registry by the client); every
/// manifest is verified against its digest on the way and the result read back. What is
/// attached to the digest (referrers, cosign signatures) is carried too (`ReferrerCopier`).
public struct ImageCopier: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// Copies what `source` points to (a tag or a digest) into `target`'s repository under
    /// the same digest. When `target` names a tag, the tag is written last, once the copy
    /// verified; when it names a digest, it must be the source's.
    public func copy(_ source: ImageReference, to target: ImageReference) async throws -> CopyReport {
        let top = try await client.manifest(source)
        if let asked = target.digest, asked != top.digest {
            throw CopyError(.digestMismatch, "\(source) is \(top.digest), not the \(asked) that \(target) names")
        }
        let from = ImageReference(registry: source.registry, repository: source.repository)
        let to = ImageReference(registry: target.registry, repository: target.repository)
        let tally = CopyTally()
        let wasPresent = try await copyManifest(top.descriptor, from: from, to: to, tally: tally)
        if !wasPresent {
            // Read back past the client's cache: the registry itself must serve the digest.
            let served = try await client.resolve(to.with(digest: top.digest), cached: false)?.digest
            guard served == top.digest else {
                throw CopyError(.notServed, "\(to.name) does not serve \(top.digest) after the copy (it answers \(served ?? "not found"))")
            }
        }
        // Records, signatures and attestations attached to the digest travel with it, before any tag names it.
        let referrers = ReferrerCopier(client: client) { descriptor, from, to in
            try await copyManifest(descriptor, from: from, to: to, tally: tally)
        }
        // Best effort: a broken attachment (one deleted since it was listed) never stops the copy of the image.
        do {
            tally.record(referrers: try await referrers.carry(top.digest, from: from, to: to))
        } catch {
            tally.record(attachmentProblem: "the referrers and signatures of \(Digest.short(top.digest)) were not all carried: \(RecordedError(error).message)")
        }
        if let tag = target.tag {
            try await client.putManifest(to, reference: tag, mediaType: top.mediaType, bytes: top.bytes)
        }
        return tally.report(source: from.with(digest: top.digest), target: to.with(digest: top.digest), mediaType: top.mediaType, tag: target.tag)
    }

    /// Makes the manifest `descriptor` names, and all it refers to, exist in `target`;
    /// returns whether the manifest was there already.
    @discardableResult
    private func copyManifest(_ descriptor: Descriptor, from source: ImageReference, to target: ImageReference, tally: CopyTally) async throws -> Bool {
        // Asked every time: what this client saw in the target may have been deleted since.
        let present = try await client.resolve(target.with(digest: descriptor.digest), cached: false) != nil
        // A registry holding an image manifest holds its blobs (a manifest PUT naming a
        // missing blob is refused). An index does not prove its children: distribution can
        // be set to accept sparse indexes. So an index's children are checked one by one.
        if present, !MediaType.isIndex(descriptor.mediaType) {
            tally.record(manifest: descriptor.digest, copied: false)
            return true
        }
        let fetched = try await client.manifest(source.with(digest: descriptor.digest))
        switch fetched.content {
        case .index(let index):
            try await withThrowingTaskGroup(of: Void.self) { group in
                for child in index.manifests {
                    group.addTask { try await copyManifest(child, from: source, to: target, tally: tally) }
                }
                try await group.waitForAll()
            }
        case .image(let image):
            try await withThrowingTaskGroup(of: Void.self) { group in
                for blob in [image.config] + image.layers where Self.isDistributable(blob) {
                    group.addTask { tally.record(blob: blob, try await client.copyBlob(blob, from: source, to: target)) }
                }
                try await group.waitForAll()
            }
        }
        if !present {
            try await client.putManifest(target, reference: descriptor.digest, mediaType: fetched.mediaType, bytes: fetched.bytes)
        }
        tally.record(manifest: descriptor.digest, copied: !present)
        return present
    }

    /// Foreign (non-distributable) layers live outside registries: nothing to copy.
    private static func isDistributable(_ blob: Descriptor) -> Bool {
        !blob.mediaType.contains(".foreign.") && !blob.mediaType.contains("nondistributable")
    }
}
