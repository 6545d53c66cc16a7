/// Carries what is attached to a digest along with it (`gantry copy`, promotions): every
/// referrer (release records, signatures, SBOMs, attestations attached by `subject`) and the
/// cosign signature tags `sha256-<hex>.sig` of the digest and of each referrer. Where the
/// target registry does not index subjects itself, the referrers are listed in its
/// `sha256-<hex>` fallback index. At most `maxReferrers` are carried.
struct ReferrerCopier: Sendable {
    let client: RegistryClient
    /// Copies one manifest and what it refers to (`ImageCopier`'s step).
    let copyManifest: @Sendable (Descriptor, ImageReference, ImageReference) async throws -> Void

    static let maxReferrers = 100

    /// Copies the referrers and signatures of `subject` from `source` to `target`; returns how many were carried.
    func carry(_ subject: String, from source: ImageReference, to target: ImageReference) async throws -> Int {
        let referrers = Array(try await client.referrers(source, subject: subject).descriptors.filter { Digest.isValid($0.digest) }.prefix(Self.maxReferrers))
        var carried = 0
        for referrer in referrers {
            try await copyManifest(referrer, source, target)
            carried += 1
            carried += try await copySignatures(of: referrer.digest, from: source, to: target)
        }
        carried += try await copySignatures(of: subject, from: source, to: target)
        guard !referrers.isEmpty else { return carried }
        // Indexed by the target itself (its referrers API lists them) or listed in its fallback index.
        let listed = try await client.referrers(target, subject: subject)
        if listed.source == .tagSchema {
            let fallback = ReferrersTagIndex(client: client)
            try await fallback.list(referrers, about: subject, existing: try await fallback.entries(of: subject, in: target), in: target)
        }
        return carried
    }

    /// Copies the `sha256-<hex>.sig` tag of `digest` where the target has none (a target's own
    /// signatures are never replaced); returns 1 when copied.
    private func copySignatures(of digest: String, from source: ImageReference, to target: ImageReference) async throws -> Int {
        let tag = Referrers.cosignSignatureTag(for: digest)
        guard let signatures = try await client.resolve(source.with(tag: tag)),
              try await client.resolve(target.with(tag: tag), cached: false) == nil else { return 0 }
        try await copyManifest(signatures, source, target)
        let fetched = try await client.manifest(source.with(digest: signatures.digest))
        try await client.putManifest(target, reference: tag, mediaType: fetched.mediaType, bytes: fetched.bytes)
        return 1
    }
}
