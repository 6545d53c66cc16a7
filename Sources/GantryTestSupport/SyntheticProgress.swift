import Foundation

/// Generates buildx `--progress rawjson` streams shaped like real ones (vertex
/// start/complete/cached updates, byte statuses, base64 log chunks), for tests and
/// benchmarks that need many events.
public enum SyntheticProgress {
    /// A digest-looking vertex id for step `n`.
    public static func vertexDigest(_ n: Int) -> String {
        "sha256:" + String(repeating: String(format: "%08x", n), count: 8)
    }

    /// One compact rawjson line (buildx ≥ 0.15) for update `i` of a stream with `steps` steps.
    /// Updates cycle through: step started, a log line, a byte status, step completed.
    public static func line(_ i: Int, steps: Int = 10) -> String {
        let step = (i / 4) % steps + 1
        let digest = vertexDigest(i / 4)
        let name = "[stage-0 \(step)/\(steps)] RUN make step\(step)"
        let time = "2024-06-01T12:00:00.123456789Z"
        switch i % 4 {
        case 0:
            return #"{"vertexes":[{"digest":"\#(digest)","inputs":["sha256:0000"],"name":"\#(name)","started":"\#(time)"}]}"#
        case 1:
            let data = Data("compiling unit \(i) of the build\n".utf8).base64EncodedString()
            return #"{"logs":[{"vertex":"\#(digest)","stream":1,"data":"\#(data)","timestamp":"\#(time)"}]}"#
        case 2:
            return #"{"statuses":[{"id":"pushing layer sha256:\#(i)","vertex":"\#(digest)","name":"pushing layer","total":1048576,"current":\#(i % 1048576),"timestamp":"\#(time)","started":"\#(time)"}]}"#
        default:
            return #"{"vertexes":[{"digest":"\#(digest)","inputs":["sha256:0000"],"name":"\#(name)","started":"\#(time)","completed":"\#(time)"}]}"#
        }
    }

    /// A log-only rawjson line carrying `text` as one log line of vertex `vertex`.
    public static func logLine(_ text: String, vertex: Int = 1) -> String {
        let data = Data((text + "\n").utf8).base64EncodedString()
        return #"{"logs":[{"vertex":"\#(vertexDigest(vertex))","stream":1,"data":"\#(data)","timestamp":"2024-06-01T12:00:00Z"}]}"#
    }

    /// The same update pretty-printed the way buildx 0.13–0.14 wrote it (two-space indent, one field a line).
    public static func prettyPrinted(_ compactLine: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(compactLine.utf8))
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
