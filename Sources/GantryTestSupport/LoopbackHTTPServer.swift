import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for test doubles (token issuer, proxies): one thread
/// per connection, one request per connection (`Connection: close`), bodies by `Content-Length`.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A received request.
    public struct Request: Sendable {
        public var method: String
        /// Path and query as sent (`/v2/app/manifests/latest`).
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: Data

        /// The first header named `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The value of query parameter `name`, percent-decoded; repeated parameters give all values.
        public func query(_ name: String) -> [String] {
            URLComponents(string: target)?.queryItems?.filter { $0.name == name }.compactMap(\.value) ?? []
        }

        /// The path without the query.
        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

        /// `HEAD manifest`, `GET blob`, `PUT manifest`, `GET tags`...: the method and the kind
        /// of registry resource `path` addresses, for counting requests.
        public static func kind(method: String, path: String) -> String {
            let resource = path.contains("/manifests/") ? "manifest" : path.contains("/blobs/uploads") ? "upload"
                : path.contains("/blobs/") ? "blob" : path.contains("/tags/list") ? "tags" : "other"
            return "\(method) \(resource)"
        }
    }

    /// Raw response bytes, written as they are.
    public struct Response: Sendable {
        public var bytes: Data
        /// Close the connection with a TCP reset instead of answering.
        public var reset = false
        /// More body, written after `bytes` piece by piece until it returns nil or the client
        /// hangs up: an endless or slow body.
        public var pieces: (@Sendable () -> Data?)?
        public init(bytes: Data) { self.bytes = bytes }

        /// No answer: the connection is reset (RST).
        public static let connectionReset: Response = { var r = Response(bytes: Data()); r.reset = true; return r }()

        /// A complete response with `Content-Length` and `Connection: close`.
        public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            bytes = Data(head.utf8) + body
        }

        static func reason(_ status: Int) -> String {
            [200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
             502: "Bad Gateway", 503: "Service Unavailable"][status] ?? "Status"
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    public var host: String { "127.0.0.1:\(port)" }
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopped = false

    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw TestSupportError("bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting and closes open connections. It does not wait: shutting the listener
    /// down ends the accept loop, which closes it (a teardown never blocks the test's pool).
    public func stop() {
        let (first, open) = lock.withLock { () -> (Bool, Set<Int32>) in
            defer { stopped = true }
            return (!stopped, connections)
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = lock.withLock { () -> Bool in
                guard !stopped else { return false }
                connections.insert(client)
                return true
            }
            guard accepted else {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { _ = connections.remove(fd) }
            close(fd)
        }
        guard let request = Self.readRequest(fd) else { return }
        let response = handler(request)
        if response.reset {
            // Linger 0: close sends RST, as a dropped connection does.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return
        }
        var open = Self.writeAll(fd, response.bytes)
        while open, let piece = response.pieces?() { open = Self.writeAll(fd, piece) }
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one request: head up to the blank line, then `Content-Length` bytes of body.
    static func readRequest(_ fd: Int32) -> Request? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<n])
            // A TLS ClientHello (clients probing HTTPS first, like skopeo): hang up so they fall back at once.
            if buffer.first == 0x16 { return nil }
            headEnd = buffer.range(of: separator)
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: Data())
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        var body = Data(buffer[headEnd.upperBound...])
        while body.count < length {
            let n = read(fd, &chunk, min(chunk.count, length - body.count))
            guard n > 0 else { return nil }
            body.append(contentsOf: chunk[0..<n])
        }
        request.body = body
        return request
    }

    /// Whether all of `data` was sent (false: the peer is gone).
    @discardableResult
    static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}
