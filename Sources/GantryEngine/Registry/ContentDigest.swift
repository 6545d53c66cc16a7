import Crypto
import Foundation

/// sha256 content digests, as registries name content.
enum ContentDigest {
    /// `sha256:<hex>` of `data`.
    static func sha256(_ data: Data) -> String {
        string(SHA256.hash(data: data))
    }

    /// `sha256:<hex>` of a finished hash.
    static func string(_ digest: SHA256.Digest) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return "sha256:" + String(decoding: hex, as: UTF8.self)
    }

    /// Throws a digest-mismatch error unless `data` hashes to `expected`.
    static func verify(_ data: Data, expected: String, what: String) throws {
        guard expected.hasPrefix("sha256:") else {
            throw RegistryError(.unsupported, "\(what): only sha256 digests are supported, got \(expected)")
        }
        let actual = sha256(data)
        guard actual == expected else {
            throw RegistryError(.digestMismatch, "\(what): the registry sent \(data.count) bytes with digest \(actual), not the \(expected) asked for")
        }
    }
}
