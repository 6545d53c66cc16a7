/// The most recent lines of a build's log, in a fixed-size ring: memory stays bounded
/// however long the log is. Long lines are cut to `maxLineLength` characters.
public struct LogRing: Sendable {
    public let capacity: Int
    public let maxLineLength: Int
    private var lines: [String] = []
    private var next = 0
    /// How many lines went through the ring in total.
    public private(set) var total = 0

    public init(capacity: Int = 200, maxLineLength: Int = 4096) {
        precondition(capacity > 0, "a log ring holds at least one line")
        self.capacity = capacity
        self.maxLineLength = maxLineLength
        lines.reserveCapacity(capacity)
    }

    public mutating func append(_ line: String) {
        let kept = line.utf8.count > maxLineLength ? String(line.prefix(maxLineLength)) : line
        total += 1
        if lines.count < capacity {
            lines.append(kept)
        } else {
            lines[next] = kept
        }
        next = (next + 1) % capacity
    }

    /// The last `count` lines, oldest first.
    public func last(_ count: Int) -> [String] {
        let n = min(count, lines.count)
        guard lines.count == capacity else { return Array(lines.suffix(n)) }
        return (0..<n).map { lines[(next - n + $0 + capacity) % capacity] }
    }
}
