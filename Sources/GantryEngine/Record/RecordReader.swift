import Foundation

/// Reads the release records about one digest: the subject's referrers of Gantry's record
/// type (referrers API, else the fallback index), each record's layer, and its signature.
/// What a registry sends is bounded: at most `maxRecords` per subject (the newest by their
/// `created` annotation) and `maxRecordSize` bytes per record.
public struct RecordReader: Sendable {
    public let client: RegistryClient
    public let key: SignatureKey?

    static let maxRecords = 50
    static let maxRecordSize: Int64 = 256 * 1024

    public init(client: RegistryClient, key: SignatureKey? = nil) {
        self.client = client
        self.key = key
    }

    /// The records about `subject` in `repository`, newest first, without their signatures
    /// (`signature(of:in:)` reads one). A record that is not one (another format, another
    /// subject, too big, unreadable) is skipped and named in `problems`; only the listing
    /// itself failing throws.
    public func records(about subject: String, in repository: ImageReference) async throws -> (records: [FoundRecord], problems: [String]) {
        let referrers = try await client.referrers(repository, subject: subject)
        let candidates = referrers.descriptors
            .filter { $0.artifactType == RecordArtifact.artifactType && Digest.isValid($0.digest) }
            .sorted { ($0.annotations?[AnnotationKey.created] ?? "") > ($1.annotations?[AnnotationKey.created] ?? "") }
            .prefix(Self.maxRecords)
        var found: [FoundRecord] = []
        var problems: [String] = []
        for descriptor in candidates {
            do {
                guard let record = try await read(descriptor.digest, subject: subject, in: repository) else {
                    problems.append("\(repository.name)@\(Digest.short(descriptor.digest)) is not a release record of \(Digest.short(subject))")
                    continue
                }
                found.append(FoundRecord(record: record, digest: descriptor.digest, source: referrers.source))
            } catch {
                problems.append("the release record \(repository.name)@\(Digest.short(descriptor.digest)) could not be read: \(RecordedError(error).message)")
            }
        }
        return (found.sorted { $0.record.at > $1.record.at }, problems)
    }

    /// `found` with its own signature's verdict (verified with the key when one was given).
    public func signed(_ found: FoundRecord, in repository: ImageReference) async throws -> FoundRecord {
        let signatures = try await CosignSignature.read(of: found.digest, in: repository, client: client, key: key)
        let best = signatures.first { $0.verdict == .verified } ?? signatures.first { $0.verdict == .unverified } ?? signatures.first
        var signed = found
        signed.signature = best?.verdict
        signed.signatureProblem = best?.problem
        return signed
    }

    /// The record in the artifact `digest`, nil when it is not a record about `subject`.
    private func read(_ digest: String, subject: String, in repository: ImageReference) async throws -> ReleaseRecord? {
        let manifest = try await client.manifest(repository.with(digest: digest))
        guard let image = manifest.image, image.artifactType == RecordArtifact.artifactType, image.subject?.digest == subject,
              let layer = image.layers.first(where: { $0.mediaType == RecordArtifact.artifactType }), layer.size <= Self.maxRecordSize
        else { return nil }
        guard let record = ReleaseRecord.decode(try await client.blob(repository, digest: layer.digest)), record.index == subject else { return nil }
        return record
    }
}
