/// One buildkit `SolveStatus` update as buildx prints it with `--progress rawjson`.
/// Every field is optional: updates are deltas.
public struct SolveStatus: Sendable, Decodable, Equatable {
    public var vertexes: [Vertex]?
    public var statuses: [VertexStatus]?
    public var logs: [VertexLog]?
    public var warnings: [VertexWarning]?

    /// A node of the build graph; the same digest comes back as it starts, completes or fails.
    public struct Vertex: Sendable, Decodable, Equatable {
        public var digest: String
        public var name: String?
        public var started: String?
        public var completed: String?
        public var cached: Bool?
        public var error: String?
    }

    /// Progress of one transfer inside a vertex (bytes pushed, context sent).
    public struct VertexStatus: Sendable, Decodable, Equatable {
        public var id: String
        public var vertex: String?
        public var name: String?
        public var total: Int64?
        public var current: Int64?
        public var completed: String?
    }

    /// A chunk of a vertex's output; `data` is base64.
    public struct VertexLog: Sendable, Decodable, Equatable {
        public var vertex: String?
        public var stream: Int?
        public var data: String
    }

    /// A build check warning; `short` and `detail` are base64.
    public struct VertexWarning: Sendable, Decodable, Equatable {
        public var vertex: String?
        public var level: Int?
        public var short: String?
        public var detail: [String]?
        public var url: String?
    }
}
