import Foundation

/// One cosign signature as the `sha256-<hex>.sig` tag stores it: a layer of the signature
/// manifest whose blob is the simple-signing payload and whose annotation holds the
/// base64 signature over it.
struct CosignSignature: Sendable {
    static let layerMediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    static let certificateAnnotation = "dev.sigstore.cosign/certificate"

    var payload: Data
    /// The base64 text of the annotation, nil when the layer has none.
    var signature: String?
    /// Keyless signatures carry a certificate instead of relying on a key pair.
    var isKeyless: Bool

    /// The simple-signing claims cosign checks: the signed digest, the reference and the type.
    struct Claims: Decodable {
        var critical: Critical?

        struct Critical: Decodable {
            var identity: [String: String]?
            var image: [String: String]?
            var type: String?
        }

        var digest: String? { critical?.image?["docker-manifest-digest"] }
        var reference: String? { critical?.identity?["docker-reference"] }
    }

    /// What the payload claims, nil when it is not simple-signing JSON.
    var claims: Claims? { try? JSONDecoder().decode(Claims.self, from: payload) }

    /// Every signature of `subject` in `repository` (its `sha256-<hex>.sig` manifest), each
    /// with its verdict (verified with `key` when given).
    static func read(of subject: String, in repository: ImageReference, client: RegistryClient, key: SignatureKey?) async throws -> [AuditedSignature] {
        let tag = repository.with(tag: Referrers.cosignSignatureTag(for: subject))
        guard try await client.resolve(tag) != nil else { return [] }
        let fetched = try await client.manifest(tag)
        guard let manifest = fetched.image else { return [] }
        var found: [AuditedSignature] = []
        for layer in manifest.layers.prefix(maxSignatures) where layer.mediaType == layerMediaType {
            let signature = CosignSignature(
                payload: try await client.blob(repository, digest: layer.digest),
                signature: layer.annotations?[signatureAnnotation],
                isKeyless: layer.annotations?[certificateAnnotation] != nil)
            let (verdict, problem) = signature.verdict(subject: subject, key: key)
            found.append(AuditedSignature(
                subject: subject, platform: nil, manifest: fetched.digest, identity: signature.claims?.reference,
                keyless: signature.isKeyless, verdict: verdict, problem: problem))
        }
        return found
    }

    /// A registry could list any number of layers: this many signatures of one digest are read at most.
    static let maxSignatures = 64

    /// The verdict on this signature of `subject`: the payload must claim `subject`, and,
    /// with a key, the signature must verify over the payload's exact bytes.
    func verdict(subject: String, key: SignatureKey?) -> (SignatureVerdict, String?) {
        guard let claims, claims.critical?.type == "cosign container image signature" else {
            return (.bad, "the payload is not a cosign simple-signing payload")
        }
        guard claims.digest == subject else {
            return (.bad, "the payload signs \(claims.digest ?? "no digest"), not \(subject)")
        }
        guard let key else { return (.unverified, nil) }
        guard let text = signature, let bytes = Data(base64Encoded: text) else {
            return (.bad, "no base64 signature in \(Self.signatureAnnotation)")
        }
        return key.verifies(bytes, over: payload) ? (.verified, nil) : (.bad, "does not verify with \(key.source)")
    }
}

/// What the audit concluded about one signature.
public enum SignatureVerdict: String, Codable, Sendable, Hashable {
    /// Its claims match and it verifies with the given key.
    case verified
    /// Its claims match; no key was given to check the signature itself.
    case unverified
    /// It claims another digest, is not a simple-signing payload, or does not verify.
    case bad
}
