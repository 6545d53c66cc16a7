import Foundation
import Synchronization

/// The credentials this process has seen, so no error, journal entry or output line ever
/// carries one: whatever text holds a secret (or its Basic-auth encoding) shows `[redacted]`.
public enum SecretRedaction {
    private static let secrets = Mutex<Set<String>>([])

    /// Remembers `credential`'s secret and the Basic-auth value made from it.
    static func remember(_ credential: RegistryCredential) {
        // Very short secrets would redact ordinary words; registries do not issue them.
        guard credential.secret.count >= 4 else { return }
        secrets.withLock {
            $0.insert(credential.secret)
            $0.insert(Data("\(credential.username):\(credential.secret)".utf8).base64EncodedString())
        }
    }

    /// `text` with every remembered secret replaced.
    public static func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var out = text
        for secret in known.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return out
    }
}
