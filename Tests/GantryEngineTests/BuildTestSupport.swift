import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Shared setup of the build tests: a release config over real registries, a state
/// folder, and checks of what the registries hold.
struct BuildFixture {
    let directory: TemporaryDirectory
    let config: ReleaseConfig
    let folder: ReleaseFolder
    let registry: RegistryClient

    static let version = try! SemanticVersion.parse("1.2.3")

    /// A release of `acme/app` to every registry, with a FROM scratch Dockerfile in the context.
    init(registries: [RegistryServer], platforms: [String], attestations: AttestationPolicy = .none,
         bake: Bool = false, parallel: Int = 4) throws {
        directory = try TemporaryDirectory(prefix: "gantry-build")
        try directory.write("context/Dockerfile", "FROM scratch\nCOPY hello.txt /\nRUN make\n")
        try directory.write("context/hello.txt", "hello\n")
        try directory.write("context/docker-bake.hcl", "target \"app\" {}\n")
        config = ReleaseConfig(
            source: directory.path + "/gantry.yaml", image: "acme/app",
            registries: registries.map { RegistryTarget(host: $0.host) },
            platforms: try platforms.map { PlatformTarget(platform: try Platform.parse($0)) },
            build: BuildSpec(
                context: directory.path + "/context", args: ["GREETING": "hi"], labels: ["org.example.team": "build"],
                bake: bake ? BakeSpec(file: directory.path + "/context/docker-bake.hcl", target: "app") : nil),
            tags: [TagRule("{{version}}")], attestations: attestations, parallel: parallel)
        folder = StateDirectory(root: directory.url.appendingPathComponent("state"))
            .release(ReleaseID.make(image: "acme/app", version: Self.version))
        registry = RegistryClient(credentials: .anonymous)
    }

    func close() async {
        try? await registry.shutdown()
        directory.remove()
    }

    func runner(_ driver: any BuildDriver, failFast: Bool = false, parallel: Int? = nil) -> BuildRunner {
        BuildRunner(config: config, version: Self.version, revision: "0123abc", folder: folder, driver: driver, parallel: parallel, failFast: failFast)
    }

    func buildx(_ environment: [String: String] = [:], grace: Duration = .seconds(5)) -> BuildxDriver {
        BuildxDriver(registry: registry, docker: StubDocker.path, environment: environment, gracePeriod: grace)
    }

    /// Runs every build while collecting the events.
    static func collect(_ runner: BuildRunner) async -> ([Platform: BuildOutcome], [BuildEvent]) {
        let events = Task { await runner.events.reduce(into: [BuildEvent]()) { $0.append($1) } }
        let outcomes = await runner.run()
        await runner.finish()
        return (outcomes, await events.value)
    }

    /// The pids the stand-ins wrote to `file` once `count` are there; if they never come, the
    /// run is cancelled and awaited first, so no hanging stand-in outlives the test.
    static func pids(
        in file: String, atLeast count: Int, of run: Task<([Platform: BuildOutcome], [BuildEvent]), Never>
    ) async throws -> [Int32] {
        do {
            return try await ProcessProbe.pids(in: file, atLeast: count)
        } catch {
            run.cancel()
            _ = await run.value
            throw error
        }
    }

    /// Checks, with skopeo as the oracle, that every repository holds `digest` and has no tag.
    func expectPushedByDigestOnly(_ digest: String, in registries: [RegistryServer], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for server in registries {
            let reference = "\(server.host)/acme/app@\(digest)"
            #expect(try Skopeo.digest(reference) == digest, "\(reference)", sourceLocation: sourceLocation)
            #expect(try await RegistryProbe.tags(host: server.host, repository: "acme/app") == [], "\(server.host) got a tag", sourceLocation: sourceLocation)
        }
    }
}

/// Runs `body` with a build fixture, closed (client shut down, folder removed) however it ends.
func withBuildFixture<T>(
    registries: [RegistryServer], platforms: [String], attestations: AttestationPolicy = .none, bake: Bool = false, parallel: Int = 4,
    _ body: (BuildFixture) async throws -> T
) async throws -> T {
    let fixture = try BuildFixture(registries: registries, platforms: platforms, attestations: attestations, bake: bake, parallel: parallel)
    do {
        let value = try await body(fixture)
        await fixture.close()
        return value
    } catch {
        await fixture.close()
        throw error
    }
}
