import Foundation
import GantryTestSupport
import Testing

/// `gantry build`, run as the real binary with the stub docker first on PATH and real registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct BuildCommandTests {
    func writeConfig(_ dir: TemporaryDirectory, registries: [RegistryServer]) throws -> String {
        try dir.write("context/Dockerfile", "FROM scratch\nCOPY hello.txt /\nRUN make\n")
        try dir.write("context/hello.txt", "hello\n")
        return try dir.write("gantry.yaml", """
            image: acme/app
            registries:
            \(registries.map { "  - \($0.host)" }.joined(separator: "\n"))
            platforms: [linux/amd64, linux/arm64]
            build:
              context: context
            tags: ["{{version}}"]
            builder: buildx
            attestations: none
            parallel: 2
            """)
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["PATH": StubDocker.searchPath].merging(extra) { $1 }
    }

    @Test func jsonPrintsOneEventPerLineAndRecordsTheDigests() async throws {
        try await withRegistries(2) { registries in
            try await withTemporaryDirectory { dir in
                let config = try writeConfig(dir, registries: registries)
                let state = dir.url.appendingPathComponent("state").path
                let result = try await GantryBinary.run(["build", "1.2.3", "--config", config, "--state-dir", state, "--json"], environment: environment())
                #expect(result.status == 0, "\(result.stderr)")
                let events = try result.stdout.split(separator: "\n").map {
                    try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                }
                let finished = events.filter { $0["event"] as? String == "finished" }
                #expect(Set(finished.compactMap { $0["platform"] as? String }) == ["linux/amd64", "linux/arm64"])
                // The first line names the build, the last says how it ended and what comes next.
                #expect(events.first?["event"] as? String == "flow" && events.first?["kind"] as? String == "build")
                let id = try #require(events.first?["id"] as? String)
                #expect(events.last?["event"] as? String == "outcome" && events.last?["next"] as? String == "gantry publish \(id)")
                let journalFile = "\(state)/releases/\(id)/journal.json"
                let journal = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: journalFile))) as? [String: Any])
                #expect(journal["kind"] as? String == "build" && journal["phase"] as? String == "built")
                let platforms = try #require(journal["platforms"] as? [[String: Any]])
                #expect(platforms.count == 2)
                for entry in platforms {
                    let result = try #require(entry["result"] as? [String: Any])
                    let digest = try #require(result["manifestDigest"] as? String)
                    #expect((result["presence"] as? [String: Bool])?.values.filter { $0 }.count == 2, "\(entry["platform"] ?? "")")
                    for server in registries {
                        #expect(try await Skopeo.digest("\(server.host)/acme/app@\(digest)") == digest)
                        #expect(try await RegistryProbe.tags(host: server.host, repository: "acme/app") == [])
                    }
                }
            }
        }
    }

    @Test func plainLinesAndAFailureExitNonZero() async throws {
        try await withRegistry { server in
            try await withTemporaryDirectory { dir in
                let config = try writeConfig(dir, registries: [server])
                let state = dir.url.appendingPathComponent("state").path
                let result = try await GantryBinary.run(
                    ["build", "1.2.3", "--config", config, "--state-dir", state, "--no-tui"],
                    environment: environment(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"]))
                #expect(result.status != 0)
                #expect(result.stdout.contains("linux/arm64 failed at step 3/3 RUN make: failed to solve"), "\(result.stdout)")
                #expect(result.stdout.contains("linux/arm64 | linux/arm64 RUN make output line 25"))
                #expect(result.stdout.contains("linux/amd64 finished sha256:"))
                #expect(result.stdout.contains("linux/amd64 pushed \(server.host)/acme/app@sha256:"))
                #expect(!result.stdout.contains("output line 1\n"), "log lines are not state changes")
            }
        }
    }

    @Test func platformSelectsWhatIsBuilt() async throws {
        try await withRegistry { server in
            try await withTemporaryDirectory { dir in
                let config = try writeConfig(dir, registries: [server])
                let state = dir.url.appendingPathComponent("state").path
                let only = try await GantryBinary.run(["build", "1.2.3", "--config", config, "--state-dir", state, "--no-tui", "--platform", "linux/arm64"], environment: environment())
                #expect(only.status == 0, "\(only.stderr)")
                #expect(only.stdout.contains("linux/arm64 finished"))
                #expect(!only.stdout.contains("linux/amd64"))
                let unknown = try await GantryBinary.run(["build", "1.2.3", "--config", config, "--state-dir", state, "--platform", "linux/s390x"], environment: environment())
                #expect(unknown.status != 0)
                #expect(unknown.stderr.contains("linux/s390x: not a platform of"))
            }
        }
    }
}
