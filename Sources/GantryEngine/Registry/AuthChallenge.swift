/// A parsed `WWW-Authenticate` challenge: `Basic realm="..."` or
/// `Bearer realm="...",service="...",scope="..."`.
struct AuthChallenge: Sendable, Equatable {
    enum Scheme: String, Sendable { case basic, bearer }

    var scheme: Scheme
    var parameters: [String: String]

    var realm: String? { parameters["realm"] }
    var service: String? { parameters["service"] }
    var scope: String? { parameters["scope"] }

    /// Parses the header value; nil for schemes other than Basic and Bearer.
    static func parse(_ header: String) -> AuthChallenge? {
        let trimmed = header.drop(while: { $0 == " " })
        let space = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        guard let scheme = Scheme(rawValue: trimmed[..<space].lowercased()) else { return nil }
        return AuthChallenge(scheme: scheme, parameters: parseParameters(trimmed[space...]))
    }

    /// `key=value` or `key="quoted, \"value\""` pairs separated by commas.
    private static func parseParameters(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var i = text.startIndex
        func skip(_ chars: Set<Character>) { while i < text.endIndex, chars.contains(text[i]) { i = text.index(after: i) } }
        while i < text.endIndex {
            skip([" ", ","])
            let keyStart = i
            while i < text.endIndex, text[i] != "=" { i = text.index(after: i) }
            guard i < text.endIndex else { break }
            let key = text[keyStart..<i].trimmingSpaces().lowercased()
            i = text.index(after: i)
            var value = ""
            if i < text.endIndex, text[i] == "\"" {
                i = text.index(after: i)
                while i < text.endIndex, text[i] != "\"" {
                    if text[i] == "\\", text.index(after: i) < text.endIndex { i = text.index(after: i) }
                    value.append(text[i])
                    i = text.index(after: i)
                }
                if i < text.endIndex { i = text.index(after: i) }
            } else {
                let start = i
                while i < text.endIndex, text[i] != "," { i = text.index(after: i) }
                value = String(text[start..<i]).trimmingSpaces()
            }
            result[key] = value
        }
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
