import Foundation
import GantryEngine

/// The lines of a file descriptor (standard input), read on a thread of its own and handed
/// over through an `AsyncStream`: a question waiting for the user holds no thread of the
/// concurrency pool (it has one per core), and Ctrl-C, which cancels the waiting task, is
/// never stuck behind a blocking read. The stream ends at the end of input.
final class InputLines: Sendable {
    /// Standard input, read from the first question on (never before: nothing else reads it).
    static let standardInput = InputLines(descriptor: STDIN_FILENO)

    private let lines: AsyncStream<String>

    init(descriptor: Int32) {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        let reader = Thread {
            var splitter = LineSplitter()
            var chunk = [UInt8](repeating: 0, count: 4096)
            let emit = { (line: [UInt8]) in _ = continuation.yield(String(decoding: line, as: UTF8.self)) }
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                splitter.feed(Array(chunk[..<count]), emit)
            }
            splitter.finish(emit)
            continuation.finish()
        }
        reader.name = "gantry-input"
        reader.start()
    }

    /// The next line; nil at the end of input or when the waiting task is cancelled.
    func next() async -> String? {
        var iterator = lines.makeAsyncIterator()
        return await iterator.next()
    }
}
