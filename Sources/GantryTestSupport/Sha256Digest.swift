import Crypto
import Foundation

/// `sha256:<hex>` of `data`, computed independently of the engine's own code.
public func sha256Digest(_ data: Data) -> String {
    "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
