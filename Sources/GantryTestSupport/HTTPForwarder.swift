import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Forwards a request received by a `LoopbackHTTPServer` to an upstream on 127.0.0.1 and
/// returns the upstream's raw response (read to the end of the connection).
public struct HTTPForwarder: Sendable {
    public let upstreamPort: Int

    public init(upstreamPort: Int) { self.upstreamPort = upstreamPort }

    /// The upstream's response bytes, or a 502 when it cannot be reached.
    public func forward(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (name, value) in request.headers where name.lowercased() != "connection" { head += "\(name): \(value)\r\n" }
        head += "Connection: close\r\n\r\n"
        guard let response = Self.exchange(port: upstreamPort, Data(head.utf8) + request.body, timeout: 60) else {
            return .init(status: 502)
        }
        return .init(bytes: response)
    }

    /// Sends `request` to 127.0.0.1:`port` and reads until the peer closes; nil when nothing
    /// answers within `timeout` seconds.
    static func exchange(port: Int, _ request: Data, timeout: Int) -> Data? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        LoopbackHTTPServer.writeAll(fd, request)
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 { return nil }
            if n == 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        return response
    }
}

/// The status of `GET path` on 127.0.0.1:`port` over a plain socket, or nil when nothing answers.
///
/// Unlike `URLSession` on Linux, this does not hang on a 401 with a `Basic` challenge, so it
/// suits readiness probes of registries with htpasswd auth.
public func loopbackHTTPStatus(port: Int, path: String = "/v2/", timeoutSeconds: Int = 2) -> Int? {
    let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
    guard let response = HTTPForwarder.exchange(port: port, Data(request.utf8), timeout: timeoutSeconds) else { return nil }
    let statusLine = String(decoding: response.prefix(while: { $0 != UInt8(ascii: "\r") }), as: UTF8.self)
    let parts = statusLine.split(separator: " ")
    return parts.count >= 2 ? Int(parts[1]) : nil
}
