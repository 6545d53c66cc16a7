import Foundation

/// What vouches for the digests an audit sees: cosign signatures (the `sha256-<hex>.sig`
/// tag scheme), OCI 1.1 referrers (the API, else the `sha256-<hex>` tag schema), and what
/// the index's attestation manifests say. One inspector serves one audit: each digest is
/// looked up once, however many tags and registries' results share it.
struct SupplyChainInspector: Sendable {
    let client: RegistryClient
    let key: SignatureKey?
    private let signatureLookups = InFlightRequests<[AuditedSignature]>(remembers: true)
    private let referrerLookups = InFlightRequests<[AuditedReferrer]>(remembers: true)
    private let statementLookups = InFlightRequests<[AttestationSummary]>(remembers: true)

    init(client: RegistryClient, key: SignatureKey?) {
        self.client = client
        self.key = key
    }

    /// Adds signatures, referrers and attestation summaries to `result` (whose digest and
    /// platforms are known) and, when `expectation` requires signatures or a key was given,
    /// the signature findings.
    func inspect(_ result: inout AuditResult, in repository: ImageReference, _ expectation: AuditExpectation) async throws {
        guard let digest = result.digest else { return }
        var subjects: [(digest: String, platform: String?)] = [(digest, nil)]
        subjects += result.platforms.filter { $0.digest != digest }.map { ($0.digest, $0.platform) }
        // Lookups are shared between results, where one digest may be a platform or the tag's own.
        for subject in subjects {
            result.signatures += try await signatures(of: subject.digest, in: repository).map { var s = $0; s.platform = subject.platform; return s }
            result.referrers += try await referrers(of: subject.digest, in: repository).map { var r = $0; r.platform = subject.platform; return r }
        }
        for i in result.attestations.indices {
            result.attestations[i].summaries = try await summaries(ofAttestation: result.attestations[i].digest, in: repository)
        }
        let reader = RecordReader(client: client, key: key)
        let records = try await reader.records(about: digest, in: repository)
        // Only a record made here says what happened to this tag; a copy carries the source's.
        if let own = records.records.first(where: { $0.isAbout(repository) && $0.record.move(of: result.tag) != nil }) {
            result.record = try await reader.signed(own, in: repository)
        }
        result.findings += records.problems.map { Finding(.badRecord, "\(result.reference): \($0)") }
        if key != nil, let record = result.record, record.signature == .bad {
            result.findings.append(Finding(.badSignature, "\(result.reference): the release record \(Digest.short(record.digest)) has a \(record.signatureStatus)"))
        }
        // A key given is a key to verify with, as `cosign verify --key`: it fails without a good signature.
        if expectation.requiresSignature || key != nil { result.findings += signatureFindings(result, digest: digest) }
    }

    /// `unsigned` when the tag's digest has no signature; `bad-signature` for each that
    /// claims another digest or does not verify with the key.
    private func signatureFindings(_ result: AuditResult, digest: String) -> [Finding] {
        let own = result.signatures.filter { $0.subject == digest }
        guard !own.isEmpty else {
            return [Finding(.unsigned, "\(result.reference) (\(Digest.short(digest))) has no cosign signature (\(Referrers.cosignSignatureTag(for: digest)))")]
        }
        return own.filter { $0.verdict == .bad }.map {
            Finding(.badSignature, "\(result.reference): the signature in \(Digest.short($0.manifest)) \($0.problem ?? "is bad")")
        }
    }

    private func signatures(of subject: String, in repository: ImageReference) async throws -> [AuditedSignature] {
        try await signatureLookups.run("\(repository.name)@\(subject)") {
            try await CosignSignature.read(of: subject, in: repository, client: client, key: key)
        }
    }

    private func referrers(of subject: String, in repository: ImageReference) async throws -> [AuditedReferrer] {
        try await referrerLookups.run("\(repository.name)@\(subject)") {
            let referrers = try await client.referrers(repository, subject: subject)
            return referrers.descriptors.map {
                AuditedReferrer(
                    subject: subject, platform: nil, digest: $0.digest, artifactType: $0.artifactType ?? $0.mediaType,
                    size: $0.size, source: referrers.source)
            }
        }
    }

    /// The in-toto statements of one attestation manifest, summarised.
    private func summaries(ofAttestation digest: String, in repository: ImageReference) async throws -> [AttestationSummary] {
        try await statementLookups.run("\(repository.name)@\(digest)") {
            guard let manifest = try await client.manifest(repository.with(digest: digest)).image else { return [] }
            var summaries: [AttestationSummary] = []
            for layer in manifest.layers where layer.mediaType == MediaType.inToto {
                let statement = try await client.blob(repository, digest: layer.digest)
                if let summary = AttestationSummary(statement: statement, predicateType: layer.annotations?[AnnotationKey.predicateType]) {
                    summaries.append(summary)
                }
            }
            return summaries
        }
    }
}
