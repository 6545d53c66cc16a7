import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `images:` and Bake groups: what each member of a family inherits, overrides and tags.
struct FamilyConfigTests {
    static let example = """
        image: acme/app
        registries: [registry-a.example, registry-b.example]
        platforms: [linux/amd64, linux/arm64]
        build: {context: ., dockerfile: Dockerfile}
        tags: ["{{version}}", "{{major}}.{{minor}}", "{{major}}", latest]
        images:
          - variant: default          # acme/app:1.2.3, 1.2, 1, latest
          - variant: slim             # acme/app:1.2.3-slim, 1.2-slim, 1-slim, slim
            build: {dockerfile: Dockerfile.slim}
          - image: acme/worker        # acme/worker:1.2.3, 1.2, 1, latest
            build: {dockerfile: Dockerfile.worker}
        """

    func tags(_ member: FamilyMember, _ version: String = "1.2.3") throws -> [String] {
        try TagSet.checked(member.config, version: SemanticVersion.parse(version)).tags
    }

    @Test func theIssuesExampleMakesThreeMembers() throws {
        let family = ImageFamily(try ReleaseConfigLoader.parse(yaml: Self.example, source: "gantry.yaml"))
        #expect(family.isFamily)
        #expect(family.members.map(\.name) == ["acme/app", "acme/app:slim", "acme/worker"])
        let (app, slim, worker) = (family.members[0], family.members[1], family.members[2])
        #expect(try tags(app) == ["1.2.3", "1.2", "1", "latest"])
        #expect(try tags(slim) == ["1.2.3-slim", "1.2-slim", "1-slim", "slim"])
        #expect(try tags(worker) == ["1.2.3", "1.2", "1", "latest"])
        #expect(try tags(slim, "2.0.0-rc.1") == ["2.0.0-rc.1-slim"])
        #expect(slim.config.build.dockerfile == "Dockerfile.slim")
        #expect(worker.config.image == "acme/worker" && worker.config.build.dockerfile == "Dockerfile.worker")
        #expect(worker.config.platforms == app.config.platforms && worker.config.registries.count == 2)
    }

    @Test func aConfigWithoutImagesIsAFamilyOfOne() throws {
        let config = try ReleaseConfigLoader.parse(yaml: "image: acme/app\nplatforms: [linux/amd64]\n", source: "gantry.yaml")
        let family = ImageFamily(config)
        #expect(!family.isFamily)
        #expect(family.members.map(\.config) == [config])
    }

    @Test func variantsWithPrefixDefaultAndOnLatest() throws {
        let yaml = """
            image: acme/python
            platforms: [linux/amd64]
            tags: ["{{version}}", "{{major}}.{{minor}}", latest]
            images:
              - {variant: bookworm, default: true}
              - {variant: alpine, onlatest: true}
              - {variant: win, prefix: "windows-"}
            """
        let family = ImageFamily(try ReleaseConfigLoader.parse(yaml: yaml, source: "gantry.yaml"))
        #expect(try tags(family.members[0]) == ["1.2.3-bookworm", "1.2-bookworm", "bookworm", "1.2.3", "1.2", "latest"])
        #expect(try tags(family.members[1]) == ["1.2.3-alpine", "1.2-alpine", "latest-alpine"])
        #expect(try tags(family.members[2]) == ["windows-1.2.3", "windows-1.2", "win"])
    }

    @Test(arguments: [
        ("images:\n  - variant: slim\n  - variant: slim\n", "images[1]", "listed twice"),
        ("images:\n  - variant: default\n  - image: acme/app\n", "images[1]", "listed twice"),
        ("images:\n  - {variant: slim, suffix: \"\"}\n  - variant: default\n", "images[1]", "would both write acme/app:1.2.3"),
        ("images:\n  - {variant: slim, suffix: \"+x\"}\n", "images[0]", "which is not valid"),
        ("build: {bake: {file: b.json, group: all}}\nimages:\n  - variant: slim\n", "images", "not both"),
        ("images:\n  - variant: Slim!\n", "images[0].variant", "not a variant name"),
        ("images:\n  - {image: acme/worker, default: true}\n", "images[0].default", "only a named variant"),
        ("images:\n  - {variant: slim, build: {dockerfil: x}}\n", "images[0].build.dockerfil", "unknown key"),
        ("images:\n  - image: ghcr.io/acme/worker\n", "images[0].image", "without a registry host"),
        ("publisher: imagetools\nimages:\n  - variant: slim\n", "publisher", "imagetools cannot push an index"),
        ("images: []\n", "images", "non-empty list"),
        ("build: {bake: {file: b.json, target: app}}\nimages:\n  - variant: default\n  - {image: acme/worker, build: {args: {X: \"1\"}}}\n",
         "images[1].build.args", "the top-level build is the Bake target app"),
    ])
    func mistakesNameTheirField(_ yaml: String, _ field: String, _ message: String) throws {
        let text = "image: acme/app\nplatforms: [linux/amd64]\n" + yaml
        let error = try #require(throws: ConfigError.self) { try ReleaseConfigLoader.parse(yaml: text, source: "gantry.yaml") }
        let diagnostic = error.diagnostics.first { $0.field == field }
        #expect(diagnostic?.message.contains(message) == true, "\(error.diagnostics.map { "\($0.field): \($0.message)" })")
        #expect((diagnostic?.line ?? 0) > 0)
    }

    @Test func versionDetectionIgnoresOtherVariantsTags() throws {
        let family = ImageFamily(try ReleaseConfigLoader.parse(yaml: Self.example, source: "gantry.yaml"))
        let tags = ["1.4.2", "1.5.0-slim", "1.5-slim", "slim", "1.5.0-rc.1", "latest", "1.4.2-slim"]
        let bare = family.versionLine(of: family.members[0])
        let slim = family.versionLine(of: family.members[1])
        #expect(bare.newest(in: tags)?.description == "1.5.0-rc.1")
        #expect(slim.newest(in: tags)?.description == "1.5.0")
        #expect(bare.version(of: "1.5.0-slim") == nil)
        #expect(VersionSuggestions.after(slim.newest(in: tags)).first?.description == "1.5.1")
    }

    @Test func partialPlatformNamesAMember() throws {
        let (member, platform) = try FamilyOptions.partial("acme/app:slim:linux/arm64")
        #expect(member == "acme/app:slim" && platform.description == "linux/arm64")
        #expect(throws: FamilyError.self) { try FamilyOptions.partial("linux/arm64") }
    }

    @Test(.startsProcesses) func aBakeGroupIsAFamilyReadFromBakePrint() async throws {
        let directory = try TemporaryDirectory(prefix: "gantry-bake-group")
        defer { directory.remove() }
        _ = try directory.write("docker-bake.json", """
            {"group": {"default": {"targets": ["app", "worker"]}},
             "target": {"app": {"platforms": ["linux/amd64", "linux/arm64"]},
                        "worker": {"platforms": ["linux/amd64"], "tags": ["docker.io/acme/queue-worker:latest"]},
                        "docs": {"platforms": ["linux/amd64"]}}}
            """)
        let path = try directory.write("gantry.yaml", "image: acme/app\nbuild:\n  bake: {file: docker-bake.json, group: default}\n")
        let config = try ReleaseConfigLoader.load(path: path)
        #expect(config.bakeGroup == BakeGroupSpec(file: "docker-bake.json", group: "default"))
        let family = ImageFamily(try await ImageFamily.resolvingBakeGroup(config, docker: StubDocker.path))
        #expect(family.members.map(\.name) == ["acme/app", "acme/queue-worker"])
        #expect(family.members.map { $0.config.platforms.map(\.platform.description) } == [["linux/amd64", "linux/arm64"], ["linux/amd64"]])
        #expect(family.members.map { $0.config.build.bake?.target } == ["app", "worker"])

        // Two targets tagged into one repository would be one member twice: refused, naming it.
        _ = try directory.write("docker-bake.json", """
            {"group": {"default": {"targets": ["app", "slim"]}},
             "target": {"app": {"platforms": ["linux/amd64"], "tags": ["acme/app:latest"]},
                        "slim": {"platforms": ["linux/amd64"], "tags": ["acme/app:slim"]}}}
            """)
        let twice = ImageFamily(try await ImageFamily.resolvingBakeGroup(config, docker: StubDocker.path))
        let error = try #require(throws: FamilyError.self) { try twice.checked() }
        #expect(error.description.contains("acme/app is listed twice"), "\(error)")
    }

    @Test func aVariantInheritsTheTopLevelFlavor() throws {
        let yaml = "image: acme/app\nplatforms: [linux/amd64]\nflavor: {prefix: v}\nimages:\n  - variant: default\n  - variant: slim\n"
        let family = ImageFamily(try ReleaseConfigLoader.parse(yaml: yaml, source: "gantry.yaml"))
        #expect(try tags(family.members[0]) == ["v1.2.3", "v1.2", "v1", "latest"])
        #expect(try tags(family.members[1]) == ["v1.2.3-slim", "v1.2-slim", "v1-slim", "slim"])
    }
}
