/// RFC 8288 `Link` header parsing, for tag-list pagination.
enum LinkHeader {
    /// The target of the `rel="next"` link, as written (often a relative URL such as
    /// `/v2/app/tags/list?last=x&n=2`), or nil.
    static func next(_ header: String?) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { param in
                let p = param.replacingOccurrences(of: " ", with: "").lowercased()
                return p == "rel=\"next\"" || p == "rel=next"
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}
