import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `gantry release`, `resume` and `journal` as the real binary, building with buildah
/// and publishing natively to two real registries; skopeo checks the end state.
@Suite(.startsProcesses, .serialized, .timeLimit(.minutes(10))) struct ReleaseCommandTests {
    static let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]

    /// Every tag in every registry is one index holding exactly the demo's platforms.
    static func expectWholeRelease(
        _ tags: [String], in registries: [RegistryServer], platforms: [String] = platforms, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var digests = Set<String>()
        for registry in registries {
            for tag in tags {
                let reference = "\(registry.host)/gantry/demo:\(tag)"
                let raw = try await Skopeo.rawManifest(reference)
                digests.insert(sha256Digest(raw))
                let index = try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
                let manifests = try #require(index["manifests"] as? [[String: Any]])
                let found = manifests.compactMap { $0["platform"] as? [String: Any] }.map { p in
                    [p["os"], p["architecture"], p["variant"]].compactMap { $0 as? String }.joined(separator: "/")
                }
                #expect(found.sorted() == platforms.sorted(), "\(reference)", sourceLocation: sourceLocation)
            }
        }
        #expect(digests.count == 1, "every tag in every registry is the same index", sourceLocation: sourceLocation)
    }

    @Test func releasePublishesOneIndexPerRegistryAndJournalsIt() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            let result = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("published and verified: 1.0.0 1.0 1 latest"))
            try await Self.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries)

            let list = try await project.gantry(["journal", "list", "--json"])
            let releases = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["releases"] as? [[String: Any]])
            #expect(releases.count == 1)
            #expect(releases.first?["phase"] as? String == "verified")
            let id = try #require(releases.first?["id"] as? String)
            let show = try await project.gantry(["journal", "show", id, "--json"])
            let journal = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            let before = try #require(journal["before"] as? [[String: Any]])
            #expect(before.count == 8 && before.allSatisfy { $0["digest"] == nil }, "every tag was new")
        }
    }

    @Test func withoutATerminalPublishingNeedsYes() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let result = try await project.gantry(["release", "1.0.0", "--no-tui"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("pass --yes"))
            // Refused before building: nothing built, nothing journaled.
            #expect(!result.stdout.contains("started with"))
            #expect(project.journalFiles().isEmpty)
            let tags = try? await runTool("skopeo", ["list-tags", "--tls-verify=false", "docker://\(registries[0].host)/gantry/demo"])
            #expect(tags?.contains("\"1.0.0\"") != true, "nothing was tagged")
        }
    }

    @Test func aDowngradeHoldsMovingTagsBack() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            #expect(try await project.gantry(["release", "2.1.0", "--no-tui", "--yes"]).status == 0)
            let latest = try await Skopeo.digest("\(registries[0].host)/gantry/demo:latest")
            let older = try await project.gantry(["release", "2.0.3", "--no-tui", "--yes"])
            #expect(older.status == 0, "\(older.stderr)")
            #expect(older.stdout.contains("moving it to 2.0.3 is a downgrade; held back"))
            #expect(try await Skopeo.digest("\(registries[0].host)/gantry/demo:latest") == latest)
            #expect(try await Skopeo.digest("\(registries[0].host)/gantry/demo:2") == latest)
            #expect(try await Skopeo.digest("\(registries[0].host)/gantry/demo:2.0") == Skopeo.digest("\(registries[0].host)/gantry/demo:2.0.3"))
        }
    }

    @Test func buildThenPublishTheBuildFolder() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            let build = try await project.gantry(["build", "4.0.0", "--no-tui"])
            #expect(build.status == 0, "\(build.stderr)")
            let next = try #require(build.stdout.split(separator: "\n").last?.split(separator: "next: gantry publish ").last)
            let id = String(next)
            let publish = try await project.gantry(["publish", id, "--no-tui", "--yes"])
            #expect(publish.status == 0, "\(publish.stdout)\(publish.stderr)")
            try await Self.expectWholeRelease(["4.0.0", "4.0", "4", "latest"], in: registries)
        }
    }

    @Test("a release started with a relative config resumes from another folder, with the builder and config it recorded")
    func resumeFromAnotherFolder() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64", "linux/arm64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            try project.directory.write("demo/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
            let stub = ["PATH": StubDocker.searchPath]
            let first = try await GantryBinary.run(
                ["release", "1.0.0", "--no-tui", "--yes", "--config", "gantry.yaml", "--state-dir", "state"],
                in: project.directory.url, environment: stub.merging(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"]) { $1 })
            #expect(first.status == 1)
            #expect(first.stdout.contains("next: gantry resume "), "\(first.stdout)")
            let show = try await GantryBinary.run(["journal", "list", "--json", "--state-dir", project.stateDirectory])
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: [[String: Any]]])
            let id = try #require(listed["releases"]?.first?["id"] as? String)
            #expect(listed["releases"]?.first?["state"] as? String == "interrupted (failed)")
            // From another folder, with no --config: the journal's absolute config path and recorded builder are used.
            let resumed = try await GantryBinary.run(["resume", id, "--no-tui", "--yes", "--state-dir", project.stateDirectory], in: URL(fileURLWithPath: "/"), environment: stub)
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            #expect(resumed.stdout.contains("linux/amd64 reused ") && resumed.stdout.contains("with buildx and native"))
            let file = try #require(project.journalFiles().first)
            let journal = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let settings = try #require(journal["settings"] as? [String: Any])
            #expect(settings["configPath"] as? String == project.configPath)
            #expect(settings["builder"] as? String == "buildx")
            try await Self.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("the index carries the config's annotations and Gantry's, whichever publisher writes it", arguments: [
        ["builder": "buildah", "publisher": "native"], ["builder": "buildx", "publisher": "imagetools"],
    ])
    func indexAnnotations(_ tools: [String: String]) async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64", "linux/arm64"], extra: tools.merging([
                "annotations": "{org.opencontainers.image.description: \"The demo, described\", org.opencontainers.image.licenses: MIT}",
            ]) { $1 })
            defer { project.remove() }
            let environment = ["PATH": StubDocker.searchPath, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/demo"]
            let result = try await project.gantry(["release", "1.2.0", "--no-tui", "--yes", "--revision", "0a1b2c3d"], environment: environment)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("with \(tools["builder"]!) and \(tools["publisher"]!)"), "\(result.stdout)")
            let file = try #require(project.journalFiles().first)
            let journal = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let created = try #require(((journal["settings"] as? [String: Any])?["annotations"] as? [String: String])?["org.opencontainers.image.created"])
            let expected = [
                "org.opencontainers.image.description": "The demo, described", "org.opencontainers.image.licenses": "MIT",
                "org.opencontainers.image.version": "1.2.0", "org.opencontainers.image.revision": "0a1b2c3d",
                "org.opencontainers.image.source": "https://github.com/acme/demo", "org.opencontainers.image.created": created,
            ]
            for registry in registries {
                for tag in ["1.2.0", "1.2", "1", "latest"] {
                    let index = try await #require(try JSONSerialization.jsonObject(with: Skopeo.rawManifest("\(registry.host)/gantry/demo:\(tag)")) as? [String: Any])
                    #expect(index["annotations"] as? [String: String] == expected, "\(registry.host) \(tag)")
                }
            }
            // The audit shows them.
            let audit = try await project.gantry(["audit", "\(registries[0].host)/gantry/demo:1.2.0", "--json"])
            let results = try #require((try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
            #expect(results.first?["annotations"] as? [String: String] == expected)
            let text = try await project.gantry(["audit", "\(registries[0].host)/gantry/demo:1.2.0"])
            #expect(text.stdout.contains("org.opencontainers.image.description: The demo, described"), "\(text.stdout)")
        }
    }
}

/// `gantry release` of a new version while the image has a half-published release says so
/// first, with the command that finishes it, as Home's dialog does; the release goes on.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HalfPublishedReleaseCommandTests {
    @Test("a new release over a half-published one warns, naming it, what is missing and gantry resume ID; then releases")
    func warnsOfTheHalfPublishedRelease() async throws {
        try await withRegistries(2) { registries in
            let (a, b) = (registries[0].host, registries[1].host)
            let project = try DemoProject(registries: [a, b], platforms: ["linux/amd64"])
            defer { project.remove() }
            // 1.0.0 verified in a, never written to b: as a release that died between the registries leaves it.
            let version = try SemanticVersion.parse("1.0.0")
            var journal = ReleaseJournal(
                id: ReleaseID.make(image: "gantry/demo", version: version), kind: .release, image: "gantry/demo", version: version,
                registries: [RegistryTarget(host: a), RegistryTarget(host: b)], tags: ["1.0.0", "latest"], expectedPlatforms: [], now: Date())
            journal.phase = .failed
            journal.publications[0].state = .verified
            let store = JournalStore(state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)))
            journal = try store.create(journal)

            let release = try await project.gantry(["release", "1.0.1", "--no-tui", "--yes"])
            let said = release.stdout + release.stderr
            #expect(said.contains("warning: 1.0.0 is half-published (\(b) not written): `gantry resume \(journal.id)` finishes it"), "\(said)")
            #expect(release.status == 0, "\(said)")
            // Finishing it is not a new release over it: resuming 1.0.0 says nothing of the kind.
            let again = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(!(again.stdout + again.stderr).contains("half-published"), "\(again.stdout)\(again.stderr)")
        }
    }
}
