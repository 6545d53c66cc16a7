import Crypto
import Foundation

/// A cosign public key (`cosign.pub`: an ECDSA P-256 key as a PEM SubjectPublicKeyInfo),
/// used to verify the signatures the audit finds.
public struct SignatureKey: Sendable {
    let key: P256.Signing.PublicKey
    /// Where it came from, for messages.
    public let source: String

    public init(pem: String, source: String) throws(SignatureKeyError) {
        do {
            key = try P256.Signing.PublicKey(pemRepresentation: pem)
        } catch {
            throw SignatureKeyError(path: source, reason: "not an ECDSA P-256 public key in PEM (-----BEGIN PUBLIC KEY-----), as cosign.pub is")
        }
        self.source = source
    }

    /// The public half of a signing key.
    init(_ key: P256.Signing.PublicKey, source: String) {
        self.key = key
        self.source = source
    }

    /// Reads the key at `path`.
    public static func load(path: String) throws(SignatureKeyError) -> SignatureKey {
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SignatureKeyError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        return try SignatureKey(pem: pem, source: path)
    }

    /// Whether `signature` (DER, as cosign writes it) signs `payload` (SHA-256).
    func verifies(_ signature: Data, over payload: Data) -> Bool {
        guard let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(ecdsa, for: payload)
    }
}

/// A `--key` that cannot be used.
public struct SignatureKeyError: ClassifiedError, Sendable, Equatable {
    public var path: String
    public var reason: String
    public var code: String { "audit.key" }
    public var description: String { "--key \(path): \(reason)" }
}
