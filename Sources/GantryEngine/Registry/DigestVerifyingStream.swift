import AsyncHTTPClient
import Crypto
import NIOCore
import Synchronization

/// A blob's bytes passed on as they arrive, hashed on the way. The last chunk is held back
/// until the whole blob checks out: bytes that do not hash to the digest, or are not the
/// size, end the stream with an error before an upload of them can complete.
final class DigestVerifyingStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    private let source: HTTPClientResponse.Body
    private let digest: String
    private let size: Int64
    private let what: String
    private let recorded = Mutex<RegistryError?>(nil)

    init(_ source: HTTPClientResponse.Body, digest: String, size: Int64, what: String) {
        self.source = source
        self.digest = digest
        self.size = size
        self.what = what
    }

    /// Why the stream ended early, once it did.
    var failure: RegistryError? { recorded.withLock { $0 } }

    func makeAsyncIterator() -> Iterator { Iterator(upstream: source.makeAsyncIterator(), stream: self) }

    struct Iterator: AsyncIteratorProtocol {
        var upstream: HTTPClientResponse.Body.AsyncIterator
        let stream: DigestVerifyingStream
        private var hasher = SHA256()
        private var count: Int64 = 0
        private var held: ByteBuffer?
        private var finished = false

        init(upstream: HTTPClientResponse.Body.AsyncIterator, stream: DigestVerifyingStream) {
            self.upstream = upstream
            self.stream = stream
        }

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                guard let chunk = try await upstream.next() else {
                    finished = true
                    try stream.check(ContentDigest.string(hasher.finalize()), count: count)
                    defer { held = nil }
                    return held
                }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                count += Int64(chunk.readableBytes)
                if count > stream.size { try stream.check(nil, count: count) }
                let previous = held
                held = chunk
                if let previous { return previous }
            }
            return nil
        }
    }

    /// Throws (and records) a mismatch: `count` bytes hashing to `actual` (nil: not done yet).
    private func check(_ actual: String?, count: Int64) throws {
        var error: RegistryError?
        if count != size {
            error = RegistryError(.digestMismatch, "\(what): the registry sent \(count > size ? "more than " : "")\(count) bytes, not the \(size) of its descriptor")
        } else if let actual, actual != digest {
            error = RegistryError(.digestMismatch, "\(what): the registry sent \(count) bytes with digest \(actual), not the \(digest) asked for")
        }
        guard let error else { return }
        recorded.withLock { $0 = error }
        throw error
    }
}
