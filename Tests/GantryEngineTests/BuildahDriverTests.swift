import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Real buildah builds (vfs storage, chroot isolation) pushed by digest to real registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct BuildahDriverTests {
    @Test func twoPlatformsToTwoRegistriesByDigest() async throws {
        try await withRegistries(2) { registries in
            try await withBuildFixture(registries: registries, platforms: ["linux/amd64", "linux/arm64"]) { fixture in
                // No RUN: FROM scratch cannot run anything, and no emulation is needed for arm64.
                try fixture.directory.write("context/Dockerfile", "FROM scratch\nCOPY hello.txt /\nLABEL stage=test\n")
                let storage = fixture.directory.url.appendingPathComponent("buildah").path
                let invocation = BuildahInvocation(globalArguments: ["--storage-driver", "vfs", "--root", "\(storage)/root", "--runroot", "\(storage)/run"])
                let driver = BuildahDriver(registry: fixture.registry, invocation: invocation)
                let (outcomes, events) = await BuildFixture.collect(fixture.runner(driver))
                var digests: Set<String> = []
                for platform in fixture.config.platforms.map(\.platform) {
                    let result = try #require(outcomes[platform]?.result, "\(platform): \(String(describing: outcomes[platform]))")
                    digests.insert(result.manifestDigest)
                    try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: registries)
                    let manifest = try #require(try JSONSerialization.jsonObject(with: try await Skopeo.rawManifest("\(registries[1].host)/acme/app@\(result.manifestDigest)")) as? [String: Any])
                    let config = try #require(manifest["config"] as? [String: Any])
                    let configJSON = try await runTool("skopeo", ["inspect", "--tls-verify=false", "--config", "docker://\(registries[1].host)/acme/app@\(result.manifestDigest)"])
                    #expect(configJSON.contains("\"architecture\": \"\(platform.architecture)\""), "\(String(describing: config["digest"]))")
                    #expect(configJSON.contains("org.opencontainers.image.version"))
                    let steps = events.filter { $0.platform == platform }.compactMap { event -> BuildStep? in
                        if case .stepFinished(let step) = event.kind { step } else { nil }
                    }
                    // buildah turns each --label into a LABEL step after the Dockerfile's three.
                    #expect(steps.map(\.index) == Array(1...steps.count).map(Optional.some) && steps.allSatisfy { $0.total == steps.count })
                    #expect(steps.prefix(3).map(\.name) == ["FROM scratch", "COPY hello.txt /", "LABEL stage=test"])
                }
                #expect(digests.count == 2)
                #expect(!FileManager.default.fileExists(atPath: fixture.folder.ociLayout(for: try Platform.parse("linux/amd64")).path))
            }
        }
    }
}
