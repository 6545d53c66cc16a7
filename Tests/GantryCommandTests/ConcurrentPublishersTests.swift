import Foundation
import GantryTestSupport
import Testing

/// Two machines releasing two versions at once: tag writes have no compare-and-swap, so the
/// other machine's write of `latest`, checked before ours landed, can land after it. Made
/// deterministic with a proxy: the other release's stale write lands between our PUT of
/// `latest` and our read-back.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ConcurrentPublishersTests {
    @Test("another publisher's stale write of latest after ours: the read-back names it as a downgrade, exit 1, plain and JSON", arguments: [false, true])
    func staleWriteAfterOurs(json: Bool) async throws {
        try await withRegistry { registry in
            try await withFaultInjectingProxy(in: registry, []) { proxy in
                let environment = ["PATH": StubDocker.searchPath]
                let other = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"], extra: ["builder": "buildx"])
                defer { other.remove() }
                let older = try await other.gantry(["release", "1.0.0", "--no-tui", "--yes"], environment: environment)
                try #require(older.status == 0, "\(older.stdout)\(older.stderr)")
                let olderIndex = try await Skopeo.rawManifest("\(registry.host)/gantry/demo:1.0.0")
                let file = try other.directory.write("older-index.json", String(decoding: olderIndex, as: UTF8.self))
                let stale: @Sendable (LoopbackHTTPServer.Request) -> Void = { _ in
                    _ = try? runQuickTool("curl", ["-sf", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.index.v1+json",
                                                   "--data-binary", "@\(file)", "http://\(registry.host)/v2/gantry/demo/manifests/latest"])
                }
                // Once our PUT of latest is on its way, the next read of latest (our read-back) comes after the other's write.
                proxy.arm([.init(method: "PUT", pathContains: "/manifests/latest", fault: .before { _ in
                    proxy.arm(["HEAD", "GET"].map { .init(method: $0, pathContains: "/manifests/latest", fault: .before(stale)) })
                })])

                let ours = try DemoProject(registries: [proxy.host], platforms: ["linux/amd64"], extra: ["builder": "buildx"])
                defer { ours.remove() }
                let result = try await ours.gantry(["release", "1.1.0", "--no-tui", "--yes"] + (json ? ["--json"] : []), environment: environment)
                let output = result.stdout + result.stderr
                #expect(result.status == 1, "\(output)")
                #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest") == sha256Digest(olderIndex), "the stale write won")
                #expect(output.contains("moved away after Gantry wrote it: points to 1.0.0"), "\(output)")
                #expect(output.contains("a lower version than the 1.1.0 published here"), "\(output)")
                #expect(output.contains("gantry resume"), "the next step: \(output)")
                if json {
                    let events = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                    let checks = events.compactMap { ($0["registry"] as? [String: Any])?["verification"] as? [[String: Any]] }.flatMap { $0 }
                    let latest = try #require(checks.last { $0["tag"] as? String == "latest" })
                    #expect((latest["movedAway"] as? [String: Any])?["isDowngrade"] as? Bool == true, "\(latest)")
                } else {
                    #expect(!output.contains("ok \(proxy.host) latest"), "never says latest is at our index: \(output)")
                    #expect(output.contains("WRONG \(proxy.host) latest"), "\(output)")
                }
            }
        }
    }
}
