import AsyncHTTPClient
import Foundation

/// A response body read into memory within its request's bounds: at most its limit, and
/// by the request's deadline (the response head and the body share one timeout).
enum BoundedBody {
    /// The whole body of `response`, or the `boundExceeded` error naming `host`, `request`
    /// and the bound it broke. A declared length past the limit is refused unread.
    static func read(
        _ response: HTTPClientResponse, limit: BodyLimit, timeout: Duration, startedAt start: ContinuousClock.Instant,
        host: String, request: String
    ) async throws -> Data {
        @Sendable func exceeded(_ bound: RegistryBound) -> RegistryError { RegistryError(exceeding: bound, host: host, request: request) }
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit.bytes {
            throw exceeded(.bodySize(limit))
        }
        let body = response.body
        return try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask {
                var data = Data()
                for try await chunk in body {
                    guard data.count + chunk.readableBytes <= limit.bytes else { throw exceeded(.bodySize(limit)) }
                    data.append(contentsOf: chunk.readableBytesView)
                }
                return data
            }
            group.addTask {
                try await Task.sleep(until: start + timeout)
                return nil
            }
            // Whichever ends first decides; the other is cancelled (the body's connection closes).
            defer { group.cancelAll() }
            guard let data = try await group.next() ?? nil else { throw exceeded(.deadline(timeout)) }
            return data
        }
    }
}
