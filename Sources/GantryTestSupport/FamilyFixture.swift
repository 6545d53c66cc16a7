import Foundation
import GantryEngine

/// The family (an app, its `slim` variant and a worker) in a project of its own,
/// built with the buildx stand-in and released to two real registries, each behind a
/// proxy that logs every request.
public struct FamilyFixture: Sendable {
    public let directory: TemporaryDirectory
    public let registries: [RegistryServer]
    public let proxies: [FaultInjectingProxy]
    public let client: RegistryClient

    public var configPath: String { directory.url.appendingPathComponent("gantry.yaml").path }
    public var state: StateDirectory { StateDirectory(root: directory.url.appendingPathComponent("state")) }
    public var store: JournalStore { JournalStore(state: state) }
    public func config() throws -> ReleaseConfig { try ReleaseConfigLoader.load(path: configPath) }

    /// Each member's repository and the tags a release of 1.x.y gives it.
    public static let lines: [(image: String, suffix: String, latest: String)] = [
        ("acme/app", "", "latest"), ("acme/app", "-slim", "slim"), ("acme/worker", "", "latest"),
    ]

    /// `host/image:tag` of every member's tags for `version` in every registry.
    public func references(_ version: SemanticVersion) -> [String] {
        let bare = ["\(version)", "\(version.major).\(version.minor)", "\(version.major)"]
        return proxies.flatMap { proxy in
            Self.lines.flatMap { line in (bare.map { $0 + line.suffix } + [line.latest]).map { "\(proxy.host)/\(line.image):\($0)" } }
        }
    }

    public func environment(_ stub: [String: String] = [:]) -> FlowEnvironment {
        FlowEnvironment(state: state, docker: StubDocker.path, environment: stub, client: client)
    }

    /// What each reference points to now, by skopeo; nil when skopeo cannot read it (missing).
    public func digests(_ references: [String]) async -> [String: String?] {
        var out: [String: String?] = [:]
        for reference in references {
            // updateValue keeps a nil (missing) entry, which assigning through the subscript would remove.
            out.updateValue(try? await Skopeo.digest(reference), forKey: reference)
        }
        return out
    }

    public func isMissing(_ reference: String) async -> Bool { await digests([reference])[reference] == .some(nil) }
}

/// Runs `body` with the family project and two registries behind logging proxies.
public func withFamilyFixture<T>(_ body: (FamilyFixture) async throws -> T) async throws -> T {
    try await withRegistries(2) { registries in
        let proxies = try registries.map { try FaultInjectingProxy(upstreamPort: $0.port, rules: []) }
        defer { for proxy in proxies { proxy.stop() } }
        let directory = try TemporaryDirectory(prefix: "gantry-family")
        defer { directory.remove() }
        _ = try directory.write("app/hello.txt", "hello\n")
        // The buildx stand-in fails a platform at a RUN step; each Dockerfile differs, so each image does.
        _ = try directory.write("app/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
        _ = try directory.write("app/Dockerfile.slim", "FROM scratch\nCOPY hello.txt /slim.txt\nRUN make slim\n")
        _ = try directory.write("app/Dockerfile.worker", "FROM scratch\nCOPY hello.txt /worker.txt\nRUN make worker\n")
        _ = try directory.write("gantry.yaml", """
            image: acme/app
            registries: [\(proxies.map(\.host).joined(separator: ", "))]
            platforms: [linux/amd64, linux/arm64]
            build: {context: app, dockerfile: app/Dockerfile}
            tags: ["{{version}}", "{{major}}.{{minor}}", "{{major}}", latest]
            builder: buildx
            attestations: none
            images:
              - variant: default
              - variant: slim
                build: {dockerfile: app/Dockerfile.slim}
              - image: acme/worker
                build: {dockerfile: app/Dockerfile.worker}

            """)
        let client = RegistryClient(configuration: .init(maxRetries: 1, retryBaseDelay: .milliseconds(20)), credentials: .anonymous)
        do {
            let value = try await body(FamilyFixture(directory: directory, registries: registries, proxies: proxies, client: client))
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
