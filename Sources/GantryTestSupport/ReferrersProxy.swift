import Foundation

/// A loopback proxy that gives a registry without it (distribution 2.8) the OCI 1.1
/// referrers API, as registries that have it behave: a manifest PUT with a `subject` is
/// indexed and answered with `OCI-Subject`, and `GET /v2/<name>/referrers/<digest>` lists
/// what names that subject (filtered by `?artifactType=`). Everything else is forwarded.
public final class ReferrersProxy: @unchecked Sendable {
    private let server: LoopbackHTTPServer
    private let index: Index

    /// `127.0.0.1:PORT` to use instead of the upstream's host.
    public var host: String { server.host }

    /// Referrers API requests answered so far.
    public var listingsServed: Int { index.listings }

    public init(upstreamPort: Int) throws {
        let forwarder = HTTPForwarder(upstreamPort: upstreamPort)
        let index = Index()
        self.index = index
        server = try LoopbackHTTPServer { request in
            let parts = request.path.split(separator: "/").map(String.init)
            if request.method == "GET", parts.count >= 5, parts[0] == "v2", parts[parts.count - 2] == "referrers" {
                let name = parts[1..<(parts.count - 2)].joined(separator: "/")
                var entries = index.referrers(of: parts[parts.count - 1], in: name)
                if let type = request.query("artifactType").first { entries = entries.filter { $0["artifactType"] as? String == type } }
                let body = (try? JSONSerialization.data(withJSONObject: [
                    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries,
                ])) ?? Data()
                return .init(status: 200, headers: [("Content-Type", "application/vnd.oci.image.index.v1+json")], body: body)
            }
            let response = forwarder.forward(request)
            guard request.method == "PUT", parts.count >= 4, parts[parts.count - 2] == "manifests",
                  let manifest = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                  let subject = (manifest["subject"] as? [String: Any])?["digest"] as? String,
                  response.bytes.starts(with: Data("HTTP/1.1 201".utf8)) || response.bytes.starts(with: Data("HTTP/1.0 201".utf8)),
                  let lineEnd = response.bytes.range(of: Data("\r\n".utf8))
            else { return response }
            let name = parts[1..<(parts.count - 2)].joined(separator: "/")
            var entry: [String: Any] = [
                "mediaType": manifest["mediaType"] as? String ?? "application/vnd.oci.image.manifest.v1+json",
                "digest": sha256Digest(request.body), "size": request.body.count,
            ]
            if let type = manifest["artifactType"] as? String { entry["artifactType"] = type }
            if let annotations = manifest["annotations"] { entry["annotations"] = annotations }
            index.add(entry, about: subject, in: name)
            var bytes = response.bytes
            bytes.insert(contentsOf: Data("OCI-Subject: \(subject)\r\n".utf8), at: lineEnd.upperBound)
            return .init(bytes: bytes)
        }
    }

    public func stop() { server.stop() }

    /// The referrers seen, by repository and subject.
    private final class Index: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: [[String: Any]]] = [:]
        private var served = 0

        var listings: Int { lock.withLock { served } }

        func add(_ entry: [String: Any], about subject: String, in name: String) {
            lock.withLock {
                let key = "\(name)@\(subject)"
                if !(entries[key] ?? []).contains(where: { $0["digest"] as? String == entry["digest"] as? String }) { entries[key, default: []].append(entry) }
            }
        }

        func referrers(of subject: String, in name: String) -> [[String: Any]] {
            lock.withLock {
                served += 1
                return entries["\(name)@\(subject)"] ?? []
            }
        }
    }
}
