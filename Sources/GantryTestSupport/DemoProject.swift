import Foundation

/// A copy of the repository's demo release (`config/demo.yaml` and its `FROM scratch`
/// image) pointed at test registries, with its own state folder.
public struct DemoProject: Sendable {
    public let directory: TemporaryDirectory
    public var configPath: String { directory.url.appendingPathComponent("gantry.yaml").path }
    public var stateDirectory: String { directory.url.appendingPathComponent("state").path }

    /// Writes the demo config for `registries` (hosts such as 127.0.0.1:5000);
    /// `extra` replaces or adds top-level keys (`builder: buildah`).
    public init(registries: [String], platforms: [String] = ["linux/amd64", "linux/arm64", "linux/arm/v7"], extra: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "gantry-demo")
        let source = GantryBinary.repositoryRoot().appendingPathComponent("config/demo")
        try FileManager.default.copyItem(at: source, to: directory.url.appendingPathComponent("demo"))
        var keys: [String: String] = [
            "image": "gantry/demo",
            "registries": "[\(registries.joined(separator: ", "))]",
            "platforms": "[\(platforms.joined(separator: ", "))]",
            "build": "{context: demo, dockerfile: demo/Dockerfile}",
            "builder": "buildah",
            "publisher": "native",
            "attestations": "none",
            "parallel": "3",
        ]
        keys.merge(extra) { $1 }
        let yaml = keys.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n"
        try directory.write("gantry.yaml", yaml)
    }

    /// Runs `gantry` with this project's config and state folder.
    public func gantry(_ arguments: [String], environment: [String: String] = [:]) async throws -> GantryBinary.Result {
        try await GantryBinary.run(arguments + ["--config", configPath, "--state-dir", stateDirectory], environment: environment)
    }

    /// Builds `version` with `gantry build --json` and returns each platform's pushed manifest
    /// digest, as a CI run's digests artifacts would hold them.
    public func builtDigests(_ version: String) async throws -> [(platform: String, digest: String)] {
        let build = try await gantry(["build", version, "--json"])
        guard build.status == 0 else { throw TestSupportError("gantry build \(version) exited \(build.status): \(build.stderr)") }
        return build.stdout.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "finished" }
            .compactMap { event in
                guard let platform = event["platform"] as? String,
                      let digest = (event["result"] as? [String: Any])?["manifestDigest"] as? String else { return nil }
                return (platform, digest)
            }
    }

    /// The journal of the newest release, as JSON.
    public func journalFiles() -> [URL] {
        let releases = URL(fileURLWithPath: stateDirectory).appendingPathComponent("releases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releases.path)) ?? []
        return names.sorted().map { releases.appendingPathComponent($0).appendingPathComponent("journal.json") }
    }

    public func remove() { directory.remove() }
}
