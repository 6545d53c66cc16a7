/// The most recent lines of a log, oldest first, holding at most `capacity` lines.
public struct LogBuffer: Hashable, Sendable {
    public let capacity: Int
    private var storage: [String] = []
    private var head = 0
    /// Lines appended in total, including those that fell out.
    public private(set) var appended = 0

    public init(capacity: Int = 2000) { self.capacity = max(1, capacity) }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// The `i`-th kept line, 0 being the oldest.
    public subscript(i: Int) -> String { storage[(head + i) % storage.count] }

    public mutating func append(_ line: String) {
        appended += 1
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
    }

    /// The newest line.
    public var last: String? { isEmpty ? nil : self[count - 1] }

    /// Rewrites the newest line (a step's line once the step is known to be cached).
    public mutating func replaceLast(with line: String) {
        guard !storage.isEmpty else { return append(line) }
        storage[(head + storage.count - 1) % storage.count] = line
    }

    /// Up to `n` lines ending `fromEnd` lines before the newest.
    public func window(count n: Int, fromEnd: Int) -> [String] {
        let end = max(0, count - max(0, fromEnd))
        let start = max(0, end - n)
        return (start..<end).map { self[$0] }
    }
}
