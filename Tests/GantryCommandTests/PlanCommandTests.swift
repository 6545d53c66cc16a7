import Foundation
import GantryTestSupport
import Testing

/// `gantry plan`, run as the real binary.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PlanCommandTests {
    func tagsLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { $0.contains("/acme/app ") && !$0.contains("docker buildx") }
    }

    @Test(arguments: [
        ("3.14.1", "3.14.1 3.14 3 latest"),
        ("3.15.0-rc.1", "3.15.0-rc.1"),
        ("0.4.2", "0.4.2 0.4 latest"),
        ("v3.14.1", "3.14.1 3.14 3 latest"),
    ])
    func tagSetsPerRegistry(_ version: String, _ expected: String) async throws {
        let result = try await GantryBinary.run(["plan", version, "--config", "config/example.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = tagsLines(result.stdout)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasSuffix("  \(expected)") })
    }

    @Test func jsonPlan() async throws {
        let result = try await GantryBinary.run(["plan", "3.14.1", "--config", "config/example.yaml", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let registries = try #require(json["registries"] as? [[String: Any]])
        #expect(registries.map { $0["repository"] as? String } == ["docker.io/acme/app", "ghcr.io/acme/app"])
        #expect(registries.allSatisfy { ($0["tags"] as? [String]) == ["3.14.1", "3.14", "3", "latest"] })
        let builds = try #require(json["builds"] as? [[String: Any]])
        #expect(builds.count == 4)
        // The matrix works as a GitHub strategy matrix: platform, slug, runner, builder.
        let matrix = try #require((json["matrix"] as? [String: Any])?["include"] as? [[String: String]])
        #expect(matrix == [
            ["platform": "linux/amd64", "slug": "linux-amd64", "runner": "ubuntu-24.04"],
            ["platform": "linux/arm64", "slug": "linux-arm64", "runner": "ubuntu-24.04-arm", "builder": "arm-node"],
            ["platform": "linux/arm/v7", "slug": "linux-arm-v7", "runner": "ubuntu-24.04"],
            ["platform": "linux/ppc64le", "slug": "linux-ppc64le", "runner": "ubuntu-24.04"],
        ])
    }

    @Test func indexAnnotationsArePrintedAndPassedToImagetools() async throws {
        let result = try await GantryBinary.run(["plan", "3.14.1", "--config", "config/example.yaml", "--revision", "abc123", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let annotations = try #require(json["annotations"] as? [String: String])
        #expect(annotations["org.opencontainers.image.version"] == "3.14.1")
        #expect(annotations["org.opencontainers.image.revision"] == "abc123")
        #expect(annotations["org.opencontainers.image.source"] == "https://github.com/acme/app")
        let created = try #require(annotations["org.opencontainers.image.created"])
        #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        let publish = try #require((json["publishes"] as? [[String: Any]])?.first?["argv"] as? [String])
        let passed = zip(publish, publish.dropFirst()).filter { $0.0 == "--annotation" }.map(\.1)
        #expect(passed == annotations.sorted { $0.key < $1.key }.map { "index:\($0.key)=\($0.value)" })

        let text = try await GantryBinary.run(["plan", "3.14.1", "--config", "config/example.yaml", "--revision", "abc123"])
        #expect(text.stdout.contains("Index annotations\n"))
        #expect(text.stdout.contains("org.opencontainers.image.revision  abc123"))
    }

    @Test func threeMistakesAreAllReportedWithLines() async throws {
        try await withTemporaryDirectory { dir in
            let path = try dir.write("gantry.yaml", """
            image: acme/app
            platfroms: [linux/amd64]
            platforms:
              - linux/amd64
              - linux/arm46
            tags: ["{{version}}", "-bad"]
            """)
            let result = try await GantryBinary.run(["plan", "1.0.0", "--config", path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("gantry.yaml:2:1: platfroms: unknown key"))
            #expect(result.stderr.contains("gantry.yaml:5:5: platforms[1]"))
            #expect(result.stderr.contains("gantry.yaml:6:23: tags[1]"))
            #expect(result.stderr.contains("3 problems"))
        }
    }

    @Test func configFromEnvironmentAndBadVersion() async throws {
        let ok = try await GantryBinary.run(["plan", "1.2.3"], environment: ["GANTRY_CONFIG": "config/demo.yaml"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("127.0.0.1:5401"))
        let bad = try await GantryBinary.run(["plan", "1.2", "--config", "config/demo.yaml"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("invalid version \"1.2\""))
    }
}
