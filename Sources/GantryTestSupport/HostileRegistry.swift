import Foundation
import GantryEngine
import Synchronization

/// A registry that sends clients elsewhere: a loopback server in front of a real registry
/// that answers with URLs on another origin (a 307, a tag list's `Link`, an upload
/// `Location`) or echoes the `Authorization` it got in a 403, and a second loopback server
/// on another port, the other origin, that serves what it is sent to from the same registry
/// with the registry's own credentials (as a presigned storage URL would). Both record
/// which requests carried `Authorization`. It also breaks the bounds a client must keep:
/// huge, endless and slow bodies, tag lists that never end, tags no registry would accept.
public final class HostileRegistry: @unchecked Sendable {
    public enum Trick: Sendable, Hashable {
        /// GET and HEAD of blobs and manifests that carry `Authorization` get a 307 to the other origin.
        case redirectToOtherOrigin
        /// A tag list is one tag, with `Link: <http://other/…>; rel="next"` for the rest.
        case linkToOtherOrigin
        /// An upload session's `Location` points at the other origin.
        case uploadOnOtherOrigin
        /// A request with `Authorization` whose path contains the text gets a 403 whose
        /// error message quotes that `Authorization`.
        case echoAuthorization(pathContaining: String)
        /// GET and HEAD of a manifest whose path contains the text answer an index of `bytes`
        /// bytes (valid JSON: one annotation holds the padding), its length declared, made as it is sent.
        case hugeManifest(pathContaining: String, bytes: Int)
        /// GET of a manifest whose path contains the text answers an index whose chunked body never ends.
        case endlessManifest(pathContaining: String)
        /// GET of a path containing the text gets the registry's own answer, its body sent one byte a second.
        case slowBody(pathContaining: String)
        /// Every tag-list page holds the first tag and a `Link` to one same next page, forever.
        case linkLoop
        /// Every tag-list page is empty, with a `Link` to a page not seen yet (`?page=N`).
        case emptyPages
        /// The tag list also holds `listed` (any text: a registry may list what no registry
        /// accepts), whose manifest is that of tag `real`.
        case extraTag(listed: String, real: String)
    }

    /// One request received: what it asked and the `Authorization` it carried.
    public struct Seen: Sendable, Equatable {
        public var method: String
        public var target: String
        public var authorization: String?
    }

    private let front: LoopbackHTTPServer
    private let other: LoopbackHTTPServer
    private let frontLog = RequestLog<Seen>()
    private let otherLog = RequestLog<Seen>()

    /// `127.0.0.1:PORT` of the registry the client is configured with.
    public var host: String { front.host }
    /// `127.0.0.1:PORT` of the other origin.
    public var otherOrigin: String { other.host }
    /// The requests the front received, in order.
    public var seen: [Seen] { frontLog.entries }
    /// The requests the other origin received, in order.
    public var seenElsewhere: [Seen] { otherLog.entries }
    /// The bytes of huge, endless and slow bodies sent so far (what a client was made to read).
    public var bodyBytesSent: Int { sentBytes.entries.reduce(0, +) }
    private let sentBytes = RequestLog<Int>()

    /// In front of `upstream`; `upstreamAuthorization` is what the other origin sends the
    /// registry (its own way in), nil for a registry without auth.
    public init(upstream: RegistryServer, upstreamAuthorization: String?, tricks: Set<Trick>) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstream.port)
        let (frontLog, otherLog) = (frontLog, otherLog)
        other = try LoopbackHTTPServer { request in
            otherLog.append(Seen(request))
            var signed = request
            signed.headers.removeAll { $0.name.lowercased() == "authorization" }
            if let upstreamAuthorization { signed.headers.append(("Authorization", upstreamAuthorization)) }
            guard request.method == "GET", request.path.hasSuffix("/tags/list") else { return forwarder.forward(signed) }
            // distribution 2.8 lists every tag at once: the rest of the list is what follows `last`.
            signed.target = request.path
            return Self.editingTagList(forwarder.forward(signed)) { tags, _ in
                (tags.filter { tag in request.query("last").allSatisfy { tag > $0 } }, nil)
            }
        }
        let otherOrigin = "http://\(other.host)"
        let sentBytes = sentBytes
        front = try LoopbackHTTPServer { request in
            frontLog.append(Seen(request))
            let authorization = request.header("Authorization")
            for trick in tricks {
                switch trick {
                case .redirectToOtherOrigin:
                    if authorization != nil, ["GET", "HEAD"].contains(request.method),
                        request.path.contains("/blobs/sha256:") || request.path.contains("/manifests/") {
                        return .init(status: 307, headers: [("Location", otherOrigin + request.target)])
                    }
                case .linkToOtherOrigin:
                    if request.method == "GET", request.path.hasSuffix("/tags/list") {
                        var whole = request
                        whole.target = request.path
                        return Self.editingTagList(forwarder.forward(whole)) { tags, name in
                            guard let first = tags.first, tags.count > 1 else { return (tags, nil) }
                            return ([first], "<\(otherOrigin)/v2/\(name)/tags/list?last=\(first)>; rel=\"next\"")
                        }
                    }
                case .uploadOnOtherOrigin:
                    if request.method == "POST", request.path.hasSuffix("/blobs/uploads/") {
                        return Self.movingLocation(forwarder.forward(request), to: otherOrigin)
                    }
                case .hugeManifest(let text, let bytes):
                    if ["GET", "HEAD"].contains(request.method), request.path.contains("/manifests/"), request.path.contains(text) {
                        return Self.hugeIndex(bytes: bytes, head: request.method == "HEAD", counting: sentBytes)
                    }
                case .endlessManifest(let text):
                    if request.method == "GET", request.path.contains("/manifests/"), request.path.contains(text) {
                        return Self.endlessIndex(counting: sentBytes)
                    }
                case .slowBody(let text):
                    if request.method == "GET", request.path.contains(text) {
                        return Self.slowly(forwarder.forward(request), counting: sentBytes)
                    }
                case .linkLoop:
                    if request.method == "GET", request.path.hasSuffix("/tags/list") {
                        var whole = request
                        whole.target = request.path
                        return Self.editingTagList(forwarder.forward(whole)) { tags, name in
                            (Array(tags.prefix(1)), "</v2/\(name)/tags/list?last=\(tags.first ?? "")>; rel=\"next\"")
                        }
                    }
                case .emptyPages:
                    if request.method == "GET", request.path.hasSuffix("/tags/list") {
                        var whole = request
                        whole.target = request.path
                        let page = (request.query("page").first.flatMap(Int.init) ?? 0) + 1
                        return Self.editingTagList(forwarder.forward(whole)) { _, name in
                            ([], "</v2/\(name)/tags/list?page=\(page)>; rel=\"next\"")
                        }
                    }
                case .extraTag(let listed, let real):
                    if request.method == "GET", request.path.hasSuffix("/tags/list") {
                        var whole = request
                        whole.target = request.path
                        return Self.editingTagList(forwarder.forward(whole)) { tags, _ in (tags + [listed], nil) }
                    }
                    let suffix = "/manifests/" + listed
                    if let path = request.path.removingPercentEncoding, path.hasSuffix(suffix) {
                        var aliased = request
                        aliased.target = String(path.dropLast(suffix.count)) + "/manifests/" + real
                        return forwarder.forward(aliased)
                    }
                case .echoAuthorization(let text):
                    if let authorization, request.path.contains(text) {
                        let body = try! JSONSerialization.data(withJSONObject: [
                            "errors": [["code": "DENIED", "message": "access denied for \(authorization)"]],
                        ])
                        return .init(status: 403, headers: [("Content-Type", "application/json")], body: body)
                    }
                }
            }
            return forwarder.forward(request)
        }
    }

    public func stop() {
        front.stop()
        other.stop()
    }

    /// The tag list in `response`, replaced by what `edit` makes of its tags and the
    /// repository name: the tags to send and a `Link` header, if any.
    private static func editingTagList(
        _ response: LoopbackHTTPServer.Response, _ edit: ([String], String) -> ([String], String?)
    ) -> LoopbackHTTPServer.Response {
        guard let split = response.bytes.range(of: Data("\r\n\r\n".utf8)),
            let list = try? JSONSerialization.jsonObject(with: response.bytes[split.upperBound...]) as? [String: Any],
            let name = list["name"] as? String, let all = list["tags"] as? [String]
        else { return response }
        let (tags, link) = edit(all.sorted(), name)
        var headers = [("Content-Type", "application/json")]
        if let link { headers.append(("Link", link)) }
        let body = (try? JSONSerialization.data(withJSONObject: ["name": name, "tags": tags])) ?? Data()
        return .init(status: 200, headers: headers, body: body)
    }

    /// An OCI index of `bytes` bytes, its length declared, made piece by piece as it is sent.
    private static func hugeIndex(bytes: Int, head: Bool, counting sent: RequestLog<Int>) -> LoopbackHTTPServer.Response {
        let opening = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"padding":""#.utf8)
        let closing = Data(#""}}"#.utf8)
        var response = LoopbackHTTPServer.Response(bytes: Data(
            "HTTP/1.1 200 OK\r\nContent-Type: \(MediaType.ociIndex)\r\nContent-Length: \(bytes)\r\nConnection: close\r\n\r\n".utf8))
        guard !head else { return response }
        response.bytes += opening
        // What is left to send: the padding, then the closing brace.
        let left = Shared((padding: bytes - opening.count - closing.count, closed: false))
        response.pieces = {
            left.state.withLock { remaining -> Data? in
                guard remaining.padding > 0 else {
                    defer { remaining.closed = true }
                    return remaining.closed ? nil : closing
                }
                let size = min(remaining.padding, 1 << 20)
                remaining.padding -= size
                sent.append(size)
                return Data(repeating: UInt8(ascii: "a"), count: size)
            }
        }
        return response
    }

    /// An OCI index whose chunked body never ends: an annotation that goes on forever.
    private static func endlessIndex(counting sent: RequestLog<Int>) -> LoopbackHTTPServer.Response {
        var response = LoopbackHTTPServer.Response(bytes: Data(
            "HTTP/1.1 200 OK\r\nContent-Type: \(MediaType.ociIndex)\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8))
        response.bytes += chunk(Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"endless":""#.utf8))
        let piece = chunk(Data(repeating: UInt8(ascii: "a"), count: 1 << 16))
        response.pieces = {
            sent.append(piece.count)
            return piece
        }
        return response
    }

    /// One chunk of a chunked body.
    private static func chunk(_ data: Data) -> Data {
        Data((String(data.count, radix: 16) + "\r\n").utf8) + data + Data("\r\n".utf8)
    }

    /// `response` with its head sent at once and its body one byte a second.
    private static func slowly(_ response: LoopbackHTTPServer.Response, counting sent: RequestLog<Int>) -> LoopbackHTTPServer.Response {
        guard let split = response.bytes.range(of: Data("\r\n\r\n".utf8)) else { return response }
        let body = Shared(Data(response.bytes[split.upperBound...]))
        var slow = LoopbackHTTPServer.Response(bytes: Data(response.bytes[..<split.upperBound]))
        slow.pieces = {
            guard let byte = body.state.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return nil }
            // The pace under test: one byte a second, as a registry dragging its feet sends it.
            Thread.sleep(forTimeInterval: 1)
            sent.append(1)
            return Data([byte])
        }
        return slow
    }

    /// `response` with its `Location` header moved to `origin` (path and query kept).
    private static func movingLocation(_ response: LoopbackHTTPServer.Response, to origin: String) -> LoopbackHTTPServer.Response {
        guard let split = response.bytes.range(of: Data("\r\n\r\n".utf8)) else { return response }
        let head = String(decoding: response.bytes[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n").map { line in
            guard line.lowercased().hasPrefix("location:"), let url = URL(string: line.dropFirst("location:".count).trimmingCharacters(in: .whitespaces)) else { return line }
            let query = url.query.map { "?" + $0 } ?? ""
            return "Location: \(origin)\(url.path)\(query)"
        }
        return .init(bytes: Data((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + response.bytes[split.upperBound...])
    }
}

/// State the pieces of one body share from call to call.
private final class Shared<State: Sendable>: Sendable {
    let state: Mutex<State>
    init(_ state: State) { self.state = Mutex(state) }
}

extension HostileRegistry.Seen {
    init(_ request: LoopbackHTTPServer.Request) {
        self.init(method: request.method, target: request.target, authorization: request.header("Authorization"))
    }
}

/// Runs `body` with a hostile registry in front of `upstream`, always stopped afterwards.
public func withHostileRegistry<T>(
    in front: RegistryServer, upstreamAuthorization: String? = nil, tricks: Set<HostileRegistry.Trick>,
    _ body: (HostileRegistry) async throws -> T
) async throws -> T {
    let hostile = try HostileRegistry(upstream: front, upstreamAuthorization: upstreamAuthorization, tricks: tricks)
    defer { hostile.stop() }
    return try await body(hostile)
}
