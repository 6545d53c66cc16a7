/// Cuts buildx's rawjson stderr into JSON objects and plain text lines.
///
/// buildx ≥ 0.15 writes one object per line; 0.13–0.14 pretty-print each object over
/// indented lines. The framer counts braces outside strings, so both work, and any
/// line that does not open an object (a logrus warning, `ERROR: ...`) comes out as text.
public struct RawJSONFramer: Sendable {
    /// One piece of the stream.
    public enum Frame: Sendable, Equatable {
        /// The bytes of one complete top-level JSON object.
        case object([UInt8])
        /// A line that is not part of a JSON object (or a truncated one, given back as text).
        case text(String)
    }

    /// An object longer than this is given up on and returned as text.
    public let maxObjectSize: Int
    private var buffer: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false

    public init(maxObjectSize: Int = 16 << 20) {
        self.maxObjectSize = maxObjectSize
    }

    /// Feeds one line (without its newline). Returns the object the line cut off (a new
    /// top-level object began before the open one closed) and the frame the line completes.
    public mutating func feed(line: [UInt8]) -> (cutOff: Frame?, completed: Frame?) {
        var cutOff: Frame?
        let first = line.firstIndex { $0 != 0x20 && $0 != 0x09 }
        if depth > 0, first == line.startIndex, line.first == UInt8(ascii: "{") {
            cutOff = takeAsText()
        }
        if depth == 0 {
            guard let first, line[first] == UInt8(ascii: "{") else {
                return (cutOff, first == nil ? nil : .text(String(decoding: line, as: UTF8.self)))
            }
        }
        line.withUnsafeBufferPointer { scan($0) }
        if buffer.isEmpty, depth == 0 { return (cutOff, .object(line)) }
        if !buffer.isEmpty { buffer.append(0x0A) }
        buffer.append(contentsOf: line)
        if depth == 0 {
            defer { buffer.removeAll(keepingCapacity: true) }
            return (cutOff, .object(buffer))
        }
        return (cutOff, buffer.count > maxObjectSize ? takeAsText() : nil)
    }

    /// Ends the stream: an object still open (a truncated last line) comes back as text.
    public mutating func finish() -> Frame? {
        guard depth > 0 || !buffer.isEmpty else { return nil }
        return takeAsText()
    }

    private mutating func takeAsText() -> Frame {
        let text = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll(keepingCapacity: true)
        depth = 0
        inString = false
        escaped = false
        return .text(text)
    }

    /// Updates the brace depth over `bytes`, ignoring braces inside strings.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var depth = self.depth, inString = self.inString, escaped = self.escaped
        for byte in bytes {
            if inString {
                if escaped { escaped = false }
                else if byte == 0x5C { escaped = true }
                else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
        self.depth = max(depth, 0)
        self.inString = inString
        self.escaped = escaped
    }
}
