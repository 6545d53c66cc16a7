import Foundation

/// The fixture of the day-of-work tests: two registries on 127.0.0.1, the demo project
/// released to both with the stub `docker buildx` (two platforms, built one at a time so
/// `GANTRY_STUB_FAIL_ONCE` fails exactly one), and the knobs the journey turns.
public struct DayOfWork: Sendable {
    public let registries: [RegistryServer]
    public let project: DemoProject
    /// The stub's fail-once marker: while it exists no build fails; `failNextBuild()` removes it.
    public var failOnceMarker: String { project.directory.url.appendingPathComponent("fail-once").path }
    public var hosts: [String] { registries.map(\.host) }
    public static let platforms = ["linux/amd64", "linux/arm64"]

    /// The environment the stub `docker` needs (the flow's, or the binary's with PATH).
    public var stubEnvironment: [String: String] { ["GANTRY_STUB_FAIL_ONCE": failOnceMarker] }

    /// Runs `body` with the fixture; stops the registries and removes the project after.
    public static func with<T>(_ body: (DayOfWork) async throws -> T) async throws -> T {
        try await withRegistries(2) { registries in
            let project = try DemoProject(
                registries: registries.map(\.host), platforms: platforms, extra: ["builder": "buildx", "parallel": "1"])
            defer { project.remove() }
            let day = DayOfWork(registries: registries, project: project)
            FileManager.default.createFile(atPath: day.failOnceMarker, contents: Data())
            return try await body(day)
        }
    }

    /// The next build the stub runs fails once (the one after succeeds).
    public func failNextBuild() { try? FileManager.default.removeItem(atPath: failOnceMarker) }

    /// Breaks `latest` in `host`: a single-platform manifest (the first platform of the index
    /// there) copied over the tag, as a last-finishing per-platform push would leave it.
    public func breakLatest(in host: String) async throws -> String {
        let index = try JSONSerialization.jsonObject(with: try await Skopeo.rawManifest("\(host)/gantry/demo:latest")) as? [String: Any]
        guard let digest = (index?["manifests"] as? [[String: Any]])?.first?["digest"] as? String else {
            throw TestSupportError("latest in \(host) is not an index")
        }
        try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                     "docker://\(host)/gantry/demo@\(digest)", "docker://\(host)/gantry/demo:latest"])
        return digest
    }

    /// Every tag of the demo repository in every registry: an index holding every platform;
    /// the problems found (empty when all is well), read by skopeo.
    public func problems(latest version: String) async throws -> [String] {
        var problems: [String] = []
        var latestDigests: Set<String> = []
        for host in hosts {
            // `sha256-<hex>` tags are the referrers tag schema's indexes (release records), not releases.
            for tag in try await RegistryProbe.tags(host: host, repository: "gantry/demo") where !tag.hasPrefix("sha256-") {
                let raw = try await Skopeo.rawManifest("\(host)/gantry/demo:\(tag)")
                let index = try JSONSerialization.jsonObject(with: raw) as? [String: Any]
                let platforms = Set((index?["manifests"] as? [[String: Any]] ?? []).compactMap { entry -> String? in
                    guard let p = entry["platform"] as? [String: Any], let os = p["os"] as? String, let arch = p["architecture"] as? String,
                          os != "unknown" else { return nil }
                    return [os, arch, p["variant"] as? String].compactMap { $0 }.joined(separator: "/")
                })
                if platforms != Set(Self.platforms) { problems.append("\(host) \(tag): platforms \(platforms.sorted())") }
            }
            let latest = try await Skopeo.digest("\(host)/gantry/demo:latest")
            let versioned = try await Skopeo.digest("\(host)/gantry/demo:\(version)")
            if latest != versioned { problems.append("\(host) latest \(latest) is not \(version) \(versioned)") }
            latestDigests.insert(latest)
        }
        if latestDigests.count != 1 { problems.append("latest differs between the registries: \(latestDigests.sorted())") }
        return problems
    }
}
