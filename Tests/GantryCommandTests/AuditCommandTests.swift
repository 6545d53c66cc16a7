import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `gantry audit`, run as the real binary against real registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct AuditCommandTests {
    /// No docker login of the machine running the tests may leak in.
    func environment(_ dir: TemporaryDirectory) -> [String: String] { ["DOCKER_CONFIG": dir.path] }

    func json(_ stdout: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    func skopeoDigests(_ reference: String) async throws -> [String] {
        let index = try await JSONSerialization.jsonObject(with: Skopeo.rawManifest(reference)) as? [String: Any]
        return (index?["manifests"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
    }

    @Test func aWholeTagExitsZeroAndTheJSONCarriesTheDocumentedFields() async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory { dir in
                let text = "\(registry.host)/acme/app:1.0.0"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm/v7"], to: [text])
                let run = try await GantryBinary.run(
                    ["audit", text, "--expect-platform", "linux/amd64", "--expect-platform", "linux/arm/v7", "--json"],
                    environment: environment(dir))
                #expect(run.status == 0, "\(run.stderr)")
                let results = try #require(try json(run.stdout)["results"] as? [[String: Any]])
                let result = try #require(results.first)
                #expect(result["registry"] as? String == registry.host)
                #expect(result["repository"] as? String == "acme/app")
                #expect(result["tag"] as? String == "1.0.0")
                #expect(result["digest"] as? String == (try await Skopeo.digest(text)))
                #expect(result["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
                let platforms = try #require(result["platforms"] as? [[String: Any]])
                #expect(Set(platforms.compactMap { $0["platform"] as? String }) == ["linux/amd64", "linux/arm/v7"])
                #expect(platforms.compactMap { $0["digest"] as? String } == (try await skopeoDigests(text)))
                #expect(result["attestations"] as? [Any] != nil)
                #expect((result["findings"] as? [Any])?.isEmpty == true)

                let table = try await GantryBinary.run(["audit", text], environment: environment(dir))
                #expect(table.status == 0)
                #expect(table.stdout.contains("linux/arm/v7"))
                #expect(table.stdout.contains(Digest.short(try await Skopeo.digest(text))))
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
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: all)
                let clean = try await GantryBinary.run(["audit", "--config", config, "--release-version", "2.1.0", "--json"], environment: environment(dir))
                #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
                #expect((try json(clean.stdout)["results"] as? [Any])?.count == 6)

                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registries[1].host)/acme/app:latest")
                let partial = try await GantryBinary.run(["audit", "--config", config, "--release-version", "2.1.0", "--json"], environment: environment(dir))
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
                try await fixtures.pushIndex(platforms: ["linux/amd64"], to: ["3.0.0", "3", "latest"].map { "\(registry.host)/acme/app:\($0)" })
                let run = try await GantryBinary.run(["audit", "\(registry.host)/acme/app", "--tags", "--json"], environment: environment(dir))
                #expect(run.status == 0, "\(run.stderr)")
                let repositories = try #require(try json(run.stdout)["repositories"] as? [[String: Any]])
                let groups = try #require(repositories.first?["groups"] as? [[String: Any]])
                #expect(groups.count == 1)
                #expect(groups.first?["tags"] as? [String] == ["3.0.0", "3", "latest"])
                #expect(groups.first?["digest"] as? String == (try await Skopeo.digest("\(registry.host)/acme/app:3")))
            }
        }
    }

    @Test func anUnreachableRegistryOrABadReferenceExitsTwo() async throws {
        try await withTemporaryDirectory { dir in
            let port = try freeLoopbackPort()
            let unreachable = try await GantryBinary.run(["audit", "127.0.0.1:\(port)/acme/app:1", "--json"], environment: environment(dir))
            #expect(unreachable.status == 2)
            let results = try #require(try json(unreachable.stdout)["results"] as? [[String: Any]])
            #expect((results.first?["findings"] as? [[String: Any]])?.first?["kind"] as? String == "unreachable")

            let bad = try await GantryBinary.run(["audit", "Not A Reference"], environment: environment(dir))
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("invalid image reference"))
        }
    }

    @Test("release tags the registry cannot list make `audit REF` incomplete: named in the text and the JSON, exit 2, never no findings")
    func unlistableReleaseTagsExitTwo() async throws {
        try await withUnlistableReleaseTags { proxy in
            try await withTemporaryDirectory { dir in
                let latest = "\(proxy.host)/acme/app:latest"
                let audit = { (extra: [String]) in
                    try await GantryBinary.run(["audit", latest] + extra, in: dir.url, environment: environment(dir).merging(["GANTRY_CONFIG": ""]) { $1 })
                }
                let text = try await audit([])
                #expect(text.status == 2, "\(text.stdout)\(text.stderr)")
                #expect(!text.stdout.contains("no findings"), "\(text.stdout)")
                #expect(text.stdout.contains("? not checked: \(latest): could not read the release tags to compare with (registry.server): "), "\(text.stdout)")
                #expect(text.stdout.contains("\nincomplete: "), "\(text.stdout)")

                let json = try await audit(["--json"])
                #expect(json.status == 2, "\(json.stderr)")
                let result = try #require((try self.json(json.stdout)["results"] as? [[String: Any]])?.first)
                let unchecked = try #require(result["unchecked"] as? [[String: Any]])
                #expect(unchecked.map { $0["check"] as? String } == ["release-tags"])
                #expect((unchecked.first?["error"] as? [String: Any])?["kind"] as? String == "registry.server")

                proxy.arm([])
                let answered = try await audit([])
                #expect(answered.status == 1, "\(answered.stdout)\(answered.stderr)")
                #expect(answered.stdout.contains("✗ not-an-index: \(latest) is a single linux/amd64 manifest"), "\(answered.stdout)")
            }
        }
    }

    @Test("--key verifies: a signature of another key is bad-signature and no signature is unsigned, exit 1; the right key exits 0")
    func aKeyThatVerifiesNothingIsAFinding() async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory { dir in
                let (signed, unsigned) = ("\(registry.host)/acme/app:1.0.0", "\(registry.host)/acme/app:0.9.0")
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [signed])
                try await fixtures.pushIndex(platforms: ["linux/amd64"], to: [unsigned])
                let repository = ImageReference(registry: registry.host, repository: "acme/app")
                let (ours, other) = (dir.url.appendingPathComponent("cosign.pub").path, dir.url.appendingPathComponent("other.pub").path)
                try await RegistryClient.with(credentials: .anonymous) { client in
                    let signer = SupplyChainFixtures(client: client)
                    try await signer.sign(try await Skopeo.digest(signed), in: repository)
                    try signer.publicKeyPEM.write(toFile: ours, atomically: true, encoding: .utf8)
                    try SupplyChainFixtures(client: client).publicKeyPEM.write(toFile: other, atomically: true, encoding: .utf8)
                }
                let audit = { (arguments: [String]) in
                    try await GantryBinary.run(["audit"] + arguments, in: dir.url, environment: environment(dir).merging(["GANTRY_CONFIG": ""]) { $1 })
                }
                let wrong = try await audit([signed, "--key", other])
                #expect(wrong.status == 1, "\(wrong.stdout)\(wrong.stderr)")
                #expect(wrong.stdout.contains("✗ bad-signature: \(signed): the signature in "), "\(wrong.stdout)")
                #expect(wrong.stdout.contains("does not verify with \(other)"))
                #expect(!wrong.stdout.contains("no findings"))

                let none = try await audit([unsigned, "--key", ours])
                #expect(none.status == 1, "\(none.stdout)\(none.stderr)")
                #expect(none.stdout.contains("✗ unsigned: \(unsigned)"), "\(none.stdout)")

                let right = try await audit([signed, "--key", ours])
                #expect(right.status == 0, "\(right.stdout)\(right.stderr)")
                #expect(right.stdout.contains("no findings"))
            }
        }
    }

    @Test("with a config, a bare tag and the configured image without a registry mean the configured image in every configured registry, as in the console")
    func referencesWithoutARegistryMeanTheConfiguredImage() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let release = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(release.status == 0, "\(release.stderr)")
            for text in ["latest", "gantry/demo:latest"] {
                let audit = try await project.gantry(["audit", text, "--json"])
                #expect(audit.status == 0, "\(text): \(audit.stdout)\(audit.stderr)")
                let results = try json(audit.stdout)["results"] as? [[String: Any]] ?? []
                #expect(results.compactMap { $0["registry"] as? String } == registries.map(\.host), "\(text): \(audit.stdout)")
            }
        }
    }

    @Test("a latest overwritten by one platform is flagged by `audit REF` with a config in place and without one, with one repair")
    func singleManifestLatestIsFlagged() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            let release = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(release.status == 0, "\(release.stderr)")
            let id = try #require(try json(try await project.gantry(["journal", "list", "--json"]).stdout)["releases"] as? [[String: Any]]).first?["id"] as? String
            // A last-finishing single-platform push overwrites latest in both registries.
            let amd64 = try #require(try await skopeoIndexEntries("\(registries[0].host)/gantry/demo:1.0.0").first { platformText($0) == "linux/amd64" }?["digest"] as? String)
            for registry in registries {
                try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                       "docker://\(registry.host)/gantry/demo@\(amd64)", "docker://\(registry.host)/gantry/demo:latest"])
            }
            let latest = "\(registries[0].host)/gantry/demo:latest"
            let all = ["linux/amd64", "linux/arm64", "linux/arm/v7"]

            // The config in place: its platforms are expected, the other registry is audited too, one repair for both.
            try await withTemporaryDirectory { elsewhere in
                let withConfig = try await GantryBinary.run(
                    ["audit", latest, "--json", "--state-dir", project.stateDirectory], in: elsewhere.url,
                    environment: ["GANTRY_CONFIG": project.configPath, "DOCKER_CONFIG": elsewhere.path])
                #expect(withConfig.status == 1, "\(withConfig.stdout)\(withConfig.stderr)")
                let report = try json(withConfig.stdout)
                let results = try #require(report["results"] as? [[String: Any]])
                #expect(results.compactMap { $0["registry"] as? String } == registries.map(\.host))
                for result in results {
                    let findings = result["findings"] as? [[String: Any]] ?? []
                    #expect(findings.contains { $0["kind"] as? String == "not-an-index" })
                    #expect(Set(findings.filter { $0["kind"] as? String == "missing-platform" }.compactMap { $0["platform"] as? String }) == ["linux/arm64", "linux/arm/v7"])
                }
                let repairs = try #require(report["repairs"] as? [[String: Any]])
                #expect(repairs.count == 1, "one repair for both registries: \(repairs)")
                // latest goes back to the index release \(id) published, guarded by where the audit saw it.
                let published = try await Skopeo.digest("\(registries[0].host)/gantry/demo:1.0.0")
                let (a, b) = (registries[0].host, registries[1].host)
                #expect(repairs.first?["command"] as? String == "gantry tag \(a)/gantry/demo@\(published) latest --to \(a) --to \(b) --expect latest=\(amd64)", "\(repairs)")
                #expect((repairs.first?["reason"] as? String)?.contains(try #require(id)) == true, "\(repairs)")
                #expect(repairs.first?["references"] as? [String] == registries.map { "\($0.host)/gantry/demo:latest" })
            }

            // No config and no journal: the sibling release tags say what latest should be.
            try await withTemporaryDirectory { elsewhere in
                let bare = try await GantryBinary.run(
                    ["audit", latest, "--state-dir", elsewhere.path], in: elsewhere.url,
                    environment: ["GANTRY_CONFIG": "", "DOCKER_CONFIG": elsewhere.path])
                #expect(bare.status == 1, "\(bare.stdout)\(bare.stderr)")
                #expect(bare.stdout.contains("not-an-index: \(latest) is a single linux/amd64 manifest, while the release tags 1.0.0, 1, 1.0 are an index of \(all.joined(separator: ", "))"), "\(bare.stdout)")
                #expect(bare.stdout.contains("missing-platform: \(latest) lacks linux/arm64"))
                let repairs = bare.stdout.split(separator: "\n").filter { $0.hasPrefix("  gantry ") }
                #expect(repairs.count == 1 && repairs.first?.hasPrefix("  gantry publish --release-version 1.0.0 --digest ") == true, "\(bare.stdout)")

                let tags = try await GantryBinary.run(
                    ["audit", "\(registries[0].host)/gantry/demo", "--tags", "--json"], in: elsewhere.url, environment: ["DOCKER_CONFIG": elsewhere.path])
                #expect(tags.status == 1, "\(tags.stderr)")
                let groups = try #require((try json(tags.stdout)["repositories"] as? [[String: Any]])?.first?["groups"] as? [[String: Any]])
                let marked = groups.filter { !($0["findings"] as? [Any] ?? []).isEmpty }
                #expect(marked.count == 1 && marked.first?["tags"] as? [String] == ["latest"] && marked.first?["platforms"] as? [String] == ["linux/amd64"])
            }
        }
    }
}
