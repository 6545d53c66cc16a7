import Foundation
import GantryTestSupport
import Synchronization
import Testing

/// Recovery without rebuilding, through the real binary: a CI digests folder published,
/// a promotion killed while copying and resumed, `gantry copy`.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RecoveryCommandTests {
    let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    let tags = ["1.0.0", "1.0", "1", "latest"]

    @Test("a digests folder laid out like downloaded CI artifacts publishes to every registry, copying what only one holds")
    func digestsFolderPublishes() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            // The CI jobs pushed by digest to the first registry only.
            let ci = try DemoProject(registries: [registries[0].host])
            defer { ci.remove() }
            let digests = try await ci.builtDigests("1.0.0")
            #expect(digests.count == 3)
            // download-artifact's layout: one folder per artifact, a file named by the digest's hex (or the whole digest).
            for (i, (platform, digest)) in digests.enumerated() {
                let name = i == 0 ? digest : String(digest.dropFirst("sha256:".count))
                try project.directory.write("digests/digests-\(platform.replacingOccurrences(of: "/", with: "-"))/\(name)", "")
            }
            let folder = project.directory.url.appendingPathComponent("digests").path

            let publish = try await project.gantry(["publish", "--release-version", "1.0.0", "--from-digests", folder, "--yes", "--no-tui"])
            #expect(publish.status == 0, "\(publish.stdout)\(publish.stderr)")
            #expect(publish.stdout.split(separator: "\n").filter { $0.hasPrefix("copied \(registries[0].host)/gantry/demo@") }.count == 3)
            try await ReleaseCommandTests.expectWholeRelease(tags, in: registries)
            for (_, digest) in digests {
                #expect(try await Skopeo.digest("\(registries[1].host)/gantry/demo@\(digest)") == digest)
            }

            // A name that is not a digest is an error naming the file; nothing is published.
            try project.directory.write("bad/digests-linux-amd64/README", "")
            let bad = try await project.gantry(["publish", "--release-version", "1.0.1", "--from-digests", project.directory.url.appendingPathComponent("bad").path, "--yes", "--no-tui"])
            #expect(bad.status != 0 && bad.stderr.contains("bad/digests-linux-amd64/README: \"README\" is not a digest"), "\(bad.stderr)")
            #expect(try await !RegistryProbe.tags(host: registries[0].host, repository: "gantry/demo").contains("1.0.1"))
        }
    }

    @Test("a promotion killed with SIGKILL while copying is resumed: no blob is uploaded twice, every tag verifies")
    func promotionKilledWhileCopyingResumes() async throws {
        try await withRegistries(3) { registries in
            let staging = try DemoProject(registries: [registries[0].host])
            defer { staging.remove() }
            let release = try await staging.gantry(["release", "1.0.0", "--yes", "--no-tui"])
            #expect(release.status == 0, "\(release.stderr)")
            let staged = try await Skopeo.digest("\(registries[0].host)/gantry/demo:1.0.0")

            // The first target sits behind a proxy that kills the promotion as its second blob upload arrives.
            let promoter = Mutex<Int32>(0)
            let proxy = try FaultInjectingProxy(upstreamPort: registries[1].port, rules: [
                .init(method: "PUT", pathContains: "/blobs/uploads/", fault: .before { _ in }, times: 1),
                .init(method: "PUT", pathContains: "/blobs/uploads/", fault: .before { _ in
                    let pid = promoter.withLock { $0 }
                    if pid > 0 { kill(pid, SIGKILL) }
                }, times: 1),
            ])
            defer { proxy.stop() }
            let project = try DemoProject(registries: [proxy.host, registries[2].host])
            defer { project.remove() }

            let process = Process()
            process.executableURL = GantryBinary.url
            process.arguments = ["promote", "1.0.0", "--from", registries[0].host, "--yes", "--no-tui", "--config", project.configPath, "--state-dir", project.stateDirectory]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.runUnblocked()
            promoter.withLock { $0 = process.processIdentifier }
            try await awaitExit(process)
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "the promotion was killed while copying")
            let listed = try await project.gantry(["journal", "list", "--json"])
            #expect(listed.stdout.contains("\"state\" : \"interrupted (copying)\""), "\(listed.stdout)")

            let resumed = try await project.gantry(["resume", "--yes", "--no-tui"])
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            let uploads = proxy.log.filter { $0.method == "PUT" && $0.path.contains("/blobs/uploads/") }
                .compactMap { $0.target.split(separator: "digest=").last.map(String.init) }
            #expect(uploads.count >= 2 && Set(uploads).count == uploads.count, "each blob uploaded once across both runs: \(uploads)")
            let targets = [registries[1], registries[2]]
            try await ReleaseCommandTests.expectWholeRelease(tags, in: targets)
            for registry in targets {
                #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest") == staged)
            }
        }
    }

    @Test("gantry copy --json reports what it copied; a second copy finds everything present")
    func copyReportsAsJSON() async throws {
        try await withRegistries(2) { registries in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            do {
                let source = "\(registries[0].host)/acme/app:1.0"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [source])
                let digest = try await Skopeo.digest(source)
                let target = "\(registries[1].host)/acme/app:1.0"
                func copy() async throws -> [String: Any] {
                    let run = try await GantryBinary.run(["copy", source, target, "--json"])
                    #expect(run.status == 0, "\(run.stderr)")
                    return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                }
                let first = try await copy()
                #expect(first["digest"] as? String == digest && first["tag"] as? String == "1.0")
                #expect(first["target"] as? String == "\(registries[1].host)/acme/app@\(digest)")
                #expect(first["manifestsCopied"] as? Int == 3 && (first["blobsCopied"] as? Int ?? 0) > 0)
                #expect(try await Skopeo.digest(target) == digest)
                let second = try await copy()
                #expect(second["manifestsPresent"] as? Int == 3 && second["manifestsCopied"] as? Int == 0 && second["blobsCopied"] as? Int == 0)
            }
        }
    }
}
