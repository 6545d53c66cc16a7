/// How many HTTP requests a client sent, by method and kind of resource.
public struct RequestStatistics: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Counts keyed like `HEAD manifest`, `GET manifest`, `GET blob`, `GET tags`, `GET token`.
    public var counts: [String: Int]

    public init(counts: [String: Int] = [:]) { self.counts = counts }

    public var total: Int { counts.values.reduce(0, +) }

    public subscript(_ key: String) -> Int { counts[key] ?? 0 }

    public var description: String {
        "\(total) requests (" + counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// The kind of resource a registry API path addresses.
    static func kind(ofPath path: String) -> String {
        if path.contains("/manifests/") { return "manifest" }
        if path.contains("/blobs/uploads") { return "upload" }
        if path.contains("/blobs/") { return "blob" }
        if path.contains("/tags/list") { return "tags" }
        if path.hasPrefix("/v2") { return "api" }
        return "token"
    }
}

/// A thread-safe request counter.
actor RequestCounter {
    private var statistics = RequestStatistics()
    func count(method: String, path: String) {
        statistics.counts["\(method) \(RequestStatistics.kind(ofPath: path))", default: 0] += 1
    }
    var snapshot: RequestStatistics { statistics }
}
