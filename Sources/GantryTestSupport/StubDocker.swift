import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The stub `docker` of the test fixtures (`Tests/Fixtures/bin/docker`): behaves like
/// `docker buildx` and pushes real images by digest with skopeo. See its header for knobs.
public enum StubDocker {
    /// The folder holding the stub, to put first on PATH.
    public static var binDirectory: URL {
        GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bin")
    }

    /// The stub's path.
    public static var path: String { binDirectory.appendingPathComponent("docker").path }

    /// PATH with the stub first.
    public static var searchPath: String {
        binDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }
}

/// What a test reads back from a real registry to check a push, or takes away to stage a
/// push that failed half-way.
public enum RegistryProbe {
    /// Deletes a manifest or blob (`kind` is `manifests` or `blobs`) by digest; the test
    /// registries allow deletes.
    public static func delete(host: String, repository: String, _ kind: String, digest: String) async throws {
        var request = URLRequest(url: URL(string: "http://\(host)/v2/\(repository)/\(kind)/\(digest)")!)
        request.httpMethod = "DELETE"
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 202 else {
            throw TestSupportError("DELETE \(kind) \(digest) of \(host)/\(repository) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// The tags of `repository` on `host`: empty when the repository has none or is
    /// unknown (distribution answers NAME_UNKNOWN when nothing was ever tagged).
    public static func tags(host: String, repository: String) async throws -> [String] {
        let url = URL(string: "http://\(host)/v2/\(repository)/tags/list")!
        let (data, response) = try await URLSession.shared.data(from: url)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let body = String(decoding: data, as: UTF8.self)
        if status == 404, body.contains("NAME_UNKNOWN") { return [] }
        guard status == 200 else { throw TestSupportError("tags/list of \(host)/\(repository) answered \(status): \(body)") }
        struct Page: Decodable { var tags: [String]? }
        return try JSONDecoder().decode(Page.self, from: data).tags ?? []
    }
}
