import GantryEngine
import GantryTestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct ReleaseConfigLoaderTests {
    func diagnostics(_ yaml: String) -> [ConfigDiagnostic] {
        do {
            _ = try ReleaseConfigLoader.parse(yaml: yaml, source: "gantry.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func loadsTheExampleConfig() throws {
        let path = GantryBinary.repositoryRoot().appendingPathComponent("config/example.yaml").path
        let config = try ReleaseConfigLoader.load(path: path)
        #expect(config.image == "acme/app")
        #expect(config.registries.map(\.host) == ["docker.io", "ghcr.io"])
        #expect(config.platforms.count == 4)
        #expect(config.platforms[1] == PlatformTarget(platform: try Platform.parse("linux/arm64"), builder: "arm-node"))
        #expect(config.build.args == ["GO_VERSION": "1.23"])
        #expect(config.attestations == .keep)
        #expect(config.repositories.map(\.name) == ["docker.io/acme/app", "ghcr.io/acme/app"])
    }

    @Test func reportsThreeMistakesAtOnceWithTheirLines() {
        let found = diagnostics("""
        image: acme/app
        registries: [ghcr.io]
        platfroms:
          - linux/amd64
        tags: ["{{version}}", "bad tag!"]
        """ + "\nplatforms: [linux/amd64, linux/armm64]\n")
        #expect(found.count == 3)
        #expect(found.contains { $0.line == 3 && $0.column == 1 && $0.field == "platfroms" && $0.message.contains("did you mean \"platforms\"") })
        #expect(found.contains { $0.line == 5 && $0.field == "tags[1]" && $0.message.contains("not valid") })
        #expect(found.contains { $0.line == 6 && $0.column == 26 && $0.field == "platforms[1]" && $0.message.contains("did you mean \"arm64\"") })
        #expect(found.allSatisfy { $0.description.hasPrefix("gantry.yaml:\($0.line):\($0.column): ") })
    }

    @Test func longFormsAndDefaults() throws {
        let config = try ReleaseConfigLoader.parse(yaml: """
        image: team/app
        registries:
          - host: 127.0.0.1:5000
          - host: registry.internal:5000
            insecure: true
        platforms:
          - linux/amd64
          - {platform: linux/arm64, builder: arm-node}
        """, source: "g.yaml")
        #expect(config.registries.map(\.usesPlainHTTP) == [true, true])
        #expect(config.tags.map(\.template) == ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"])
        #expect(config.builder == .auto && config.publisher == .auto && config.parallel == 4)
        #expect(config.build.context == ".")
    }

    @Test func imageWithHostAndNoRegistries() throws {
        let config = try ReleaseConfigLoader.parse(yaml: "image: ghcr.io/acme/app\nplatforms: [linux/amd64]\n", source: "g.yaml")
        #expect(config.repositories.map(\.name) == ["ghcr.io/acme/app"])
        let hub = try ReleaseConfigLoader.parse(yaml: "image: redis\nplatforms: [linux/amd64]\n", source: "g.yaml")
        #expect(hub.repositories.map(\.name) == ["docker.io/library/redis"])
    }

    @Test func duplicatesAndEmpties() {
        let found = diagnostics("""
        image: acme/app
        registries: [ghcr.io, GHCR.io]
        platforms: [linux/amd64, linux/x86_64]
        tags: [latest, latest, "{{majr}}"]
        builder: buildkit
        parallel: 0
        build: {bake: {file: docker-bake.hcl}, dockerfile: Dockerfile}
        """)
        let fields = found.map(\.field)
        #expect(fields.contains("registries[1]"))
        #expect(fields.contains("platforms[1]"))
        #expect(fields.contains("tags[1]"))
        #expect(found.contains { $0.field == "tags[2]" && $0.message.contains("did you mean \"major\"") })
        #expect(found.contains { $0.field == "builder" && $0.message.contains("auto | buildx | buildah") })
        #expect(fields.contains("parallel"))
        #expect(fields.contains("build.bake.target"))
        #expect(fields.contains("build.dockerfile"))
    }

    @Test func invalidRepositoryAndMissingKeys() {
        let found = diagnostics("image: Acme/App\n")
        #expect(found.contains { $0.field == "image" && $0.message.contains("lowercase") })
        #expect(found.contains { $0.field == "platforms" && $0.message.contains("required") })
    }

    @Test func yamlSyntaxErrorsHaveALine() {
        let found = diagnostics("image: acme/app\nplatforms: [linux/amd64\n")
        #expect(found.count == 1)
        #expect(found[0].line >= 2)
        #expect(found[0].message.hasPrefix("not valid YAML"))
    }

    @Test func missingFileSaysHowToPointAtOne() {
        #expect {
            try ReleaseConfigLoader.load(path: "/nonexistent/gantry.yaml")
        } throws: { error in
            (error as? ConfigError)?.description.contains("--config") == true
        }
    }

    @Test func annotationsRequirementsAndPlatformsLeftToBake() throws {
        let config = try ReleaseConfigLoader.parse(yaml: """
            image: acme/app
            build: {bake: {file: docker-bake.hcl, target: app}}
            annotations: {org.opencontainers.image.description: "An app", org.opencontainers.image.licenses: MIT}
            require: {signed: true}
            """, source: "gantry.yaml")
        #expect(config.takesPlatformsFromBake)
        #expect(config.annotations == ["org.opencontainers.image.description": "An app", "org.opencontainers.image.licenses": "MIT"])
        #expect(config.requirements.signed)

        let found = diagnostics("""
            image: acme/app
            annotations:
              org.opencontainers.image.version: "9"
              "bad key": x
            require: {signd: true}
            """)
        #expect(found.count == 4)
        #expect(found.contains { $0.line == 1 && $0.field == "platforms" && $0.message.contains("unless build.bake") })
        #expect(found.contains { $0.line == 3 && $0.column == 3 && $0.field == "annotations.org.opencontainers.image.version" && $0.message.contains("set by Gantry") })
        #expect(found.contains { $0.line == 4 && $0.field == "annotations.bad key" && $0.message.contains("not an annotation key") })
        #expect(found.contains { $0.line == 5 && $0.field == "require.signd" && $0.message.contains("did you mean \"signed\"") })
    }
}
