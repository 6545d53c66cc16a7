/// Splits a byte stream into lines (without the `\n`, and without a `\r` before it),
/// keeping the unfinished tail between chunks. A line longer than `maxLineLength`
/// is cut there, so a stream without newlines cannot grow memory without bound.
public struct LineSplitter: Sendable {
    public let maxLineLength: Int
    private var pending: [UInt8] = []

    public init(maxLineLength: Int = 1 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Feeds a chunk and calls `emit` with every complete line in it.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: ([UInt8]) throws -> Void) rethrows {
        var start = 0
        let count = bytes.count
        while start < count {
            guard let newline = Self.firstNewline(bytes, from: start) else {
                pending.append(contentsOf: bytes[start..<count])
                while pending.count >= maxLineLength {
                    try emit(Array(pending.prefix(maxLineLength)))
                    pending.removeFirst(maxLineLength)
                }
                return
            }
            if pending.isEmpty {
                try emit(Self.trimmed(Array(bytes[start..<newline])))
            } else {
                pending.append(contentsOf: bytes[start..<newline])
                try emit(Self.trimmed(pending))
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
    }

    /// Feeds a chunk held in an array.
    public mutating func feed(_ bytes: [UInt8], _ emit: ([UInt8]) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Emits the unfinished last line, if any (a stream that did not end with `\n`).
    public mutating func finish(_ emit: ([UInt8]) throws -> Void) rethrows {
        guard !pending.isEmpty else { return }
        let last = Self.trimmed(pending)
        pending.removeAll()
        try emit(last)
    }

    private static func firstNewline(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    private static func trimmed(_ line: [UInt8]) -> [UInt8] {
        line.last == 0x0D ? Array(line.dropLast()) : line
    }
}
