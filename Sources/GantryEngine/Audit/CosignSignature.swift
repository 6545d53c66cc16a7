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
