import Foundation
import Synchronization

/// The secrets in play in this process (configured passwords, their Basic-auth values, bearer
/// tokens received), so no error, journal entry or output line ever carries one: whatever
/// text holds one shows `[redacted]`. Secrets of any length count: a short password is still
/// a password, and a stray `[redacted]` costs less than a leaked one.
public enum SecretRedaction {
    private static let secrets = Mutex<Set<String>>([])

    /// Remembers `credential`'s secret and the Basic-auth value made from it.
    static func remember(_ credential: RegistryCredential) {
        remember([credential.secret, Data("\(credential.username):\(credential.secret)".utf8).base64EncodedString()])
    }

    /// Remembers a bearer token a token endpoint issued.
    static func remember(token: String) {
        remember([token])
    }

    private static func remember(_ values: [String]) {
        secrets.withLock { $0.formUnion(values.filter { !$0.isEmpty }) }
    }

    /// `text` with every remembered secret replaced, in one pass over the original text (a
    /// short secret is never looked for inside the `[redacted]` of another; overlapping
    /// occurrences become one).
    public static func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        var found: [Range<String.Index>] = []
        for secret in known {
            var rest = text.startIndex..<text.endIndex
            while let range = text.range(of: secret, range: rest) {
                found.append(range)
                rest = range.upperBound..<text.endIndex
            }
        }
        guard !found.isEmpty else { return text }
        var out = ""
        var copied = text.startIndex
        for range in found.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound >= copied {
                out += text[copied..<range.lowerBound] + "[redacted]"
                copied = range.upperBound
            } else if range.upperBound > copied {
                copied = range.upperBound
            }
        }
        return out + text[copied...]
    }
}
