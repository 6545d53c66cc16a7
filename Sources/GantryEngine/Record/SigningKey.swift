import Crypto
import Foundation

/// The key publications are signed with (`sign: {key: PATH}` or `sign: {key-env: NAME}`):
/// an ECDSA P-256 private key in PEM (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`), the
/// kind whose public half `cosign verify --key` and `gantry audit --key` take.
public struct SigningKey: Sendable {
    let key: P256.Signing.PrivateKey
    /// Where it came from, for messages ("./cosign.key", "$GANTRY_SIGNING_KEY").
    public let source: String

    public init(pem: String, source: String) throws(SigningKeyError) {
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw SigningKeyError(source: source, reason: "not an unencrypted ECDSA P-256 private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)")
        }
        self.source = source
    }

    /// Loads the key `spec` names; `environment` holds `key-env` keys.
    public static func load(_ spec: SigningSpec, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SigningKeyError) -> SigningKey {
        switch spec {
        case .file(let path):
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SigningKeyError(source: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
            }
            return try SigningKey(pem: pem, source: path)
        case .environment(let name):
            guard let pem = environment[name], !pem.isEmpty else { throw SigningKeyError(source: "$\(name)", reason: "is not set") }
            return try SigningKey(pem: pem, source: "$\(name)")
        }
    }

    /// The DER ECDSA signature of `payload` (SHA-256), as cosign stores it.
    func sign(_ payload: Data) throws -> Data { try key.signature(for: payload).derRepresentation }

    /// The public half, as `cosign.pub` holds it.
    public var publicKeyPEM: String { key.publicKey.pemRepresentation }
}

/// Where the signing key is (`sign:` in the config).
public enum SigningSpec: Sendable, Equatable, Codable {
    /// A PEM file (relative paths are resolved against the config's folder when loaded).
    case file(String)
    /// An environment variable holding the PEM, for CI secrets.
    case environment(String)
}

/// A signing key that cannot be used.
public struct SigningKeyError: ClassifiedError, Sendable, Equatable {
    public var source: String
    public var reason: String
    public var code: String { "sign.key" }
    public var description: String { "sign.key \(source): \(reason)" }
}
