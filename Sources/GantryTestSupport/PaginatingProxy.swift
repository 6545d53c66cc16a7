import Foundation

/// A loopback proxy that pages a registry's tag list the way distribution 3 does
/// (`?n=&last=`, a relative `Link: <...>; rel="next"` header), for registries such as
/// distribution 2.8 that always answer with every tag at once. Everything else is forwarded.
public final class PaginatingProxy: @unchecked Sendable {
    private let server: LoopbackHTTPServer
    private let pages: Counter

    /// `127.0.0.1:PORT` to use instead of the upstream's host.
    public var host: String { server.host }

    /// Tag-list pages served so far.
    public var pagesServed: Int { pages.value }

    public init(upstreamPort: Int) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstreamPort)
        let pages = Counter()
        self.pages = pages
        server = try LoopbackHTTPServer { request in
            guard request.method == "GET", request.path.hasSuffix("/tags/list") else { return forwarder.forward(request) }
            var whole = request
            whole.target = request.path
            let response = forwarder.forward(whole)
            guard let split = response.bytes.range(of: Data("\r\n\r\n".utf8)),
                let list = try? JSONSerialization.jsonObject(with: response.bytes[split.upperBound...]) as? [String: Any],
                let name = list["name"] as? String, let all = list["tags"] as? [String]
            else { return response }
            pages.increment()
            let last = request.query("last").first
            let remaining = all.sorted().filter { last == nil || $0 > last! }
            let size = request.query("n").first.flatMap(Int.init) ?? remaining.count
            let page = Array(remaining.prefix(size))
            var headers = [("Content-Type", "application/json")]
            if remaining.count > page.count, let next = page.last {
                headers.append(("Link", "</v2/\(name)/tags/list?last=\(next)&n=\(size)>; rel=\"next\""))
            }
            let body = (try? JSONSerialization.data(withJSONObject: ["name": name, "tags": page])) ?? Data()
            return .init(status: 200, headers: headers, body: body)
        }
    }

    public func stop() { server.stop() }
}

/// A locked integer shared between server threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
