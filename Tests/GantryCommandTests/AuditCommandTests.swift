import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `gantry audit`, run as the real binary against real registries.
@Suite struct AuditCommandTests {
    /// No docker login of the machine running the tests may leak in.
    func environment(_ dir: TemporaryDirectory) -> [String: String] { ["DOCKER_CONFIG": dir.path] }

    func json(_ stdout: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    func skopeoDigests(_ reference: String) throws -> [String] {
        let index = try JSONSerialization.jsonObject(with: Skopeo.rawManifest(reference)) as? [String: Any]
        return (index?["manifests"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
    }

    @Test func aWholeTagExitsZeroAndTheJSONCarriesTheDocumentedFields() async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory { dir in
                let text = "\(registry.host)/acme/app:1.0.0"
                try fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm/v7"], to: [text])
                let run = try GantryBinary.run(
                    ["audit", text, "--expect-platform", "linux/amd64", "--expect-platform", "linux/arm/v7", "--json"],
                    environment: environment(dir))
                #expect(run.status == 0, "\(run.stderr)")
                let results = try #require(try json(run.stdout)["results"] as? [[String: Any]])
                let result = try #require(results.first)
                #expect(result["registry"] as? String == registry.host)
                #expect(result["repository"] as? String == "acme/app")
                #expect(result["tag"] as? String == "1.0.0")
                #expect(result["digest"] as? String == (try Skopeo.digest(text)))
                #expect(result["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
                let platforms = try #require(result["platforms"] as? [[String: Any]])
                #expect(Set(platforms.compactMap { $0["platform"] as? String }) == ["linux/amd64", "linux/arm/v7"])
                #expect(platforms.compactMap { $0["digest"] as? String } == (try skopeoDigests(text)))
                #expect(result["attestations"] as? [Any] != nil)
                #expect((result["findings"] as? [Any])?.isEmpty == true)

                let table = try GantryBinary.run(["audit", text], environment: environment(dir))
                #expect(table.status == 0)
                #expect(table.stdout.contains("linux/arm/v7"))
                #expect(table.stdout.contains(Digest.short(try Skopeo.digest(text))))
            }
        }
    }

    @Test func aPartialReleaseFromTheConfigExitsOneWithFindings() async throws {
        try await withRegistries(2) { registries in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory { dir in
                let config = try dir.write("gantry.yaml", """
                image: acme/app
                registries: [\(registries.map(\.host).joined(separator: ", "))]
                platforms: [linux/amd64, linux/arm64]
                build: {context: .}
                tags: ["{{version}}", "{{major}}.{{minor}}", latest]
                """)
                let all = registries.flatMap { r in ["2.1.0", "2.1", "latest"].map { "\(r.host)/acme/app:\($0)" } }
                try fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: all)
                let clean = try GantryBinary.run(["audit", "--config", config, "--release-version", "2.1.0", "--json"], environment: environment(dir))
                #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
                #expect((try json(clean.stdout)["results"] as? [Any])?.count == 6)

                try fixtures.pushImage(platform: "linux/amd64", to: "\(registries[1].host)/acme/app:latest")
                let partial = try GantryBinary.run(["audit", "--config", config, "--release-version", "2.1.0", "--json"], environment: environment(dir))
                #expect(partial.status == 1, "\(partial.stderr)")
                let results = try #require(try json(partial.stdout)["results"] as? [[String: Any]])
                let kinds = results.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
                #expect(Set(kinds) == ["not-an-index", "missing-platform", "drift"])
            }
        }
    }

    @Test func tagsModeGroupsTagsByDigest() async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory { dir in
                try fixtures.pushIndex(platforms: ["linux/amd64"], to: ["3.0.0", "3", "latest"].map { "\(registry.host)/acme/app:\($0)" })
                let run = try GantryBinary.run(["audit", "\(registry.host)/acme/app", "--tags", "--json"], environment: environment(dir))
                #expect(run.status == 0, "\(run.stderr)")
                let repositories = try #require(try json(run.stdout)["repositories"] as? [[String: Any]])
                let groups = try #require(repositories.first?["groups"] as? [[String: Any]])
                #expect(groups.count == 1)
                #expect(groups.first?["tags"] as? [String] == ["3.0.0", "3", "latest"])
                #expect(groups.first?["digest"] as? String == (try Skopeo.digest("\(registry.host)/acme/app:3")))
            }
        }
    }

    @Test func anUnreachableRegistryOrABadReferenceExitsTwo() async throws {
        try await withTemporaryDirectory { dir in
            let port = try freeLoopbackPort()
            let unreachable = try GantryBinary.run(["audit", "127.0.0.1:\(port)/acme/app:1", "--json"], environment: environment(dir))
            #expect(unreachable.status == 2)
            let results = try #require(try json(unreachable.stdout)["results"] as? [[String: Any]])
            #expect((results.first?["findings"] as? [[String: Any]])?.first?["kind"] as? String == "unreachable")

            let bad = try GantryBinary.run(["audit", "Not A Reference"], environment: environment(dir))
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("invalid image reference"))
        }
    }
}
