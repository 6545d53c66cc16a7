/// A byte-level JSON reader for buildkit `SolveStatus` updates: reads only the fields
/// Gantry uses and skips the rest, several times faster than `JSONDecoder` on the
/// hundreds of thousands of updates a long build prints.
struct SolveStatusParser {
    /// The input is not the JSON the parser expects.
    struct Malformed: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one update; throws `Malformed` for anything that is not a JSON object.
    static func parse(_ data: [UInt8]) throws(Malformed) -> SolveStatus {
        try data.withUnsafeBufferPointer { (buffer) throws(Malformed) -> SolveStatus in
            var parser = SolveStatusParser(buffer)
            var status = SolveStatus()
            try parser.object { (parser, key) throws(Malformed) in
                switch key {
                case "vertexes": status.vertexes = try parser.array { (p) throws(Malformed) in try p.vertex() }
                case "statuses": status.statuses = try parser.array { (p) throws(Malformed) in try p.vertexStatus() }
                case "logs": status.logs = try parser.array { (p) throws(Malformed) in try p.vertexLog() }
                case "warnings": status.warnings = try parser.array { (p) throws(Malformed) in try p.vertexWarning() }
                default: try parser.skipValue()
                }
            }
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw Malformed() }
            return status
        }
    }

    // MARK: SolveStatus parts

    private mutating func vertex() throws(Malformed) -> SolveStatus.Vertex {
        var vertex = SolveStatus.Vertex(digest: "")
        var hasDigest = false
        try object { (p, key) throws(Malformed) in
            switch key {
            case "digest": vertex.digest = try p.string(); hasDigest = true
            case "name": vertex.name = try p.optionalString()
            case "started": vertex.started = try p.optionalString()
            case "completed": vertex.completed = try p.optionalString()
            case "cached": vertex.cached = try p.optionalBool()
            case "error": vertex.error = try p.optionalString()
            default: try p.skipValue()
            }
        }
        guard hasDigest else { throw Malformed() }
        return vertex
    }

    private mutating func vertexStatus() throws(Malformed) -> SolveStatus.VertexStatus {
        var status = SolveStatus.VertexStatus(id: "")
        try object { (p, key) throws(Malformed) in
            switch key {
            case "id": status.id = try p.string()
            case "vertex": status.vertex = try p.optionalString()
            case "name": status.name = try p.optionalString()
            case "total": status.total = try p.optionalInteger()
            case "current": status.current = try p.optionalInteger()
            case "completed": status.completed = try p.optionalString()
            default: try p.skipValue()
            }
        }
        return status
    }

    private mutating func vertexLog() throws(Malformed) -> SolveStatus.VertexLog {
        var log = SolveStatus.VertexLog(data: "")
        try object { (p, key) throws(Malformed) in
            switch key {
            case "vertex": log.vertex = try p.optionalString()
            case "stream": log.stream = try p.optionalInteger().map(Int.init)
            case "data": log.data = try p.string()
            default: try p.skipValue()
            }
        }
        return log
    }

    private mutating func vertexWarning() throws(Malformed) -> SolveStatus.VertexWarning {
        var warning = SolveStatus.VertexWarning()
        try object { (p, key) throws(Malformed) in
            switch key {
            case "vertex": warning.vertex = try p.optionalString()
            case "level": warning.level = try p.optionalInteger().map(Int.init)
            case "short": warning.short = try p.optionalString()
            case "url": warning.url = try p.optionalString()
            case "detail": warning.detail = try p.array { (p) throws(Malformed) in try p.string() }
            default: try p.skipValue()
            }
        }
        return warning
    }

    // MARK: JSON

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func peek() throws(Malformed) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw Malformed() }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try peek() == byte else { throw Malformed() }
        position += 1
    }

    /// Reads `{ "key": value, ... }`, calling `field` positioned at each value.
    private mutating func object(_ field: (inout SolveStatusParser, String) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    /// Reads `[ value, ... ]` (or `null`, as an empty array).
    private mutating func array<T>(_ element: (inout SolveStatusParser) throws(Malformed) -> T) throws(Malformed) -> [T] {
        if try literal("null") { return [] }
        try expect(UInt8(ascii: "["))
        var items: [T] = []
        if try peek() == UInt8(ascii: "]") { position += 1; return items }
        while true {
            items.append(try element(&self))
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "]") { return items }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) -> Bool {
        _ = try peek()
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for i in 0..<count where bytes[position + i] != word.utf8Start[i] { return false }
        position += count
        return true
    }

    private mutating func optionalString() throws(Malformed) -> String? {
        try literal("null") ? nil : try string()
    }

    private mutating func optionalBool() throws(Malformed) -> Bool? {
        if try literal("true") { return true }
        if try literal("false") { return false }
        if try literal("null") { return nil }
        throw Malformed()
    }

    private mutating func optionalInteger() throws(Malformed) -> Int64? {
        if try literal("null") { return nil }
        _ = try peek()
        var negative = false
        if bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        var value: Int64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(bytes[position] - 0x30))
            guard !o1, !o2 else { throw Malformed() }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw Malformed() }
        // A fraction or exponent is not expected in these fields; skip it rather than fail.
        while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
        return negative ? -value : value
    }

    /// Reads a JSON string, decoding escapes (Go escapes `<`, `>`, `&` as `\u003c`...).
    private mutating func string() throws(Malformed) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            position += 1
        }
        throw Malformed()
    }

    private mutating func escapedString(from start: Int) throws(Malformed) -> String {
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw Malformed() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), position + 6 <= bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                default: out.append(escape)  // \" \\ \/
                }
            default:
                out.append(byte)
            }
        }
        throw Malformed()
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard position + 4 <= bytes.count else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            position += 1
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x61...0x66: digit = c - 0x61 + 10
            case 0x41...0x46: digit = c - 0x41 + 10
            default: throw Malformed()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Skips any JSON value.
    mutating func skipValue() throws(Malformed) {
        switch try peek() {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try object { (p, _) throws(Malformed) in try p.skipValue() }
        case UInt8(ascii: "["): _ = try array { (p) throws(Malformed) in try p.skipValue() }
        case UInt8(ascii: "t"): guard try literal("true") else { throw Malformed() }
        case UInt8(ascii: "f"): guard try literal("false") else { throw Malformed() }
        case UInt8(ascii: "n"): guard try literal("null") else { throw Malformed() }
        default:
            let start = position
            while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
            guard position > start else { throw Malformed() }
        }
    }
}
