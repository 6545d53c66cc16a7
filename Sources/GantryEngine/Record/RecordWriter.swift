import Foundation

/// Pushes one registry's release record before its tags move: the record's blobs and the
/// subject's existing fallback index are read and written at once, then the record
/// manifest, then (where the registry did not index its subject) the `sha256-<hex>`
/// fallback index. With a key, the index and the record are signed meanwhile. A record is
/// a warning when it cannot be pushed, and a failure of the registry when it is required.
public struct RecordWriter: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The record of `draft` about the index `subject` (`bytes`) in `repository`, moving `rows`.
    /// Throws only when the record is required and could not be pushed (nothing was written then
    /// but the record's own parts).
    public func push(
        _ draft: RecordDraft, subject: Descriptor, bytes: Data, rows: [PendingTag], in repository: ImageReference, at date: Date = Date()
    ) async throws -> RecordReceipt {
        let moves = rows.filter { $0.change != .held && $0.change != .unchanged }.map { ReleaseRecord.TagMove(tag: $0.tag, previous: $0.current?.digest) }
        let artifact = RecordArtifact(draft.record(in: repository, subject: subject.digest, bytes: bytes, moves: moves, at: date), subject: subject)
        // The signatures go in meanwhile; their failure is the signatures', not the record's.
        async let signing = sign(subject.digest, artifact.digest, key: draft.key, in: repository)
        do {
            try await write(artifact, subject: subject.digest, in: repository)
        } catch {
            let reason = "the release record of \(repository.name)@\(Digest.short(subject.digest)) was not written: \(RecordedError(error).message)"
            _ = await signing
            if draft.required { throw PublishError(.record, reason + " (require: {record: true}); no tag was written") }
            return RecordReceipt(digest: nil, signed: false, warning: reason)
        }
        let unsigned = await signing
        return RecordReceipt(digest: artifact.digest, signed: draft.key != nil && unsigned == nil, warning: unsigned)
    }

    /// Attaches `artifact` to `subject`.
    func write(_ artifact: RecordArtifact, subject: String, in repository: ImageReference) async throws {
        let fallback = ReferrersTagIndex(client: client)
        async let existing = fallback.entries(of: subject, in: repository)
        async let layer: Void = client.uploadBlob(repository, digest: ContentDigest.sha256(artifact.layer), data: artifact.layer, checkingFirst: false)
        try await client.uploadBlob(repository, digest: ContentDigest.sha256(RecordArtifact.emptyConfig), data: RecordArtifact.emptyConfig)
        try await layer
        let pushed = try await client.putReferrer(repository, mediaType: MediaType.ociManifest, bytes: artifact.manifest)
        if !pushed.indexed {
            try await fallback.list([artifact.descriptor], about: subject, existing: try await existing, in: repository)
        }
    }

    /// Signs the index and the record with `key`; returns why they are not signed, nil when they are (or no key asked for it).
    private func sign(_ subject: String, _ record: String, key: SigningKey?, in repository: ImageReference) async -> String? {
        guard let key else { return nil }
        let signer = CosignSigner(client: client, key: key)
        do {
            async let index: Void = signer.sign(subject, in: repository)
            try await signer.sign(record, in: repository)
            try await index
            return nil
        } catch {
            return "\(repository.name)@\(Digest.short(subject)) and its release record were not signed: \(RecordedError(error).message)"
        }
    }
}
