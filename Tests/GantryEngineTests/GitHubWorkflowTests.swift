import Foundation
import GantryEngine
import GantryTestSupport
import Testing
import Yams

/// `gantry ci github`'s workflow, checked by GitHub's workflow schema and zizmor, for the
/// example config and for a config whose platforms come from its Bake target.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct GitHubWorkflowTests {
    static let root = GantryBinary.repositoryRoot()

    /// The config at `path` (from the repository root), platforms from Bake where it leaves them out.
    static func config(_ path: String) async throws -> ReleaseConfig {
        var config = try await ReleaseConfigLoader.load(path: root.appendingPathComponent(path).path)
            .resolvingBakePlatforms(docker: StubDocker.path)
        config.source = path
        return config
    }

    @Test(arguments: ["config/example.yaml", "Tests/Fixtures/bake/project/gantry.yaml"])
    func validatorsAcceptTheWorkflow(_ path: String) async throws {
        let yaml = try GitHubWorkflow(config: try await Self.config(path)).yaml()
        try await withTemporaryDirectory(prefix: "gantry-workflow") { dir in
            let file = URL(fileURLWithPath: try dir.write("release.yml", yaml))
            let schemaErrors = try await WorkflowValidators.schemaErrors(file)
            #expect(schemaErrors == nil, "check-jsonschema: \(schemaErrors ?? "")")
            let findings = try await WorkflowValidators.zizmorFindings(file)
            #expect(findings.filter { $0.determinations.severity == "High" }.isEmpty, "zizmor: \(findings)")
            // Nothing of lower severity either, so a regression shows at once.
            #expect(findings.isEmpty, "zizmor: \(findings)")
        }
    }

    @Test func matrixRunnersAndBakeBuildsComeFromTheBakeTarget() async throws {
        let config = try await Self.config("Tests/Fixtures/bake/project/gantry.yaml")
        #expect(config.platforms.map(\.platform.description) == ["linux/amd64", "linux/arm64", "linux/s390x"])
        let workflow = try #require(try Yams.load(yaml: try GitHubWorkflow(config: config).yaml()) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let build = try #require(jobs["build"] as? [String: Any])
        let matrix = try #require(((build["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["include"] as? [[String: String]])
        #expect(matrix == [
            ["platform": "linux/amd64", "slug": "linux-amd64", "runner": "ubuntu-24.04"],
            ["platform": "linux/arm64", "slug": "linux-arm64", "runner": "ubuntu-24.04-arm"],
            ["platform": "linux/s390x", "slug": "linux-s390x", "runner": "ubuntu-24.04"],
        ])
        let steps = try #require(build["steps"] as? [[String: Any]])
        let qemu = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("docker/setup-qemu-action@") == true })
        #expect(qemu["if"] as? String == "matrix.platform != 'linux/amd64' && matrix.platform != 'linux/arm64'")
        let script = try #require(steps.compactMap { $0["run"] as? String }.first { $0.contains("docker buildx") })
        #expect(script.contains("docker buildx bake --file Tests/Fixtures/bake/project/docker-bake.json --set app.platform=linux/s390x"))
        #expect(script.contains("--progress plain app"))
        // Every registry gets a login; GHCR with the job's token.
        let logins = steps.filter { ($0["uses"] as? String)?.hasPrefix("docker/login-action@") == true }.compactMap { $0["with"] as? [String: String] }
        #expect(logins.map { $0["registry"] } == [nil, "ghcr.io", "quay.io"])
        #expect(logins[2]["password"] == "${{ secrets.QUAY_IO_PASSWORD }}")
        #expect((build["permissions"] as? [String: String])?["packages"] == "write")
    }

    @Test func everyActionIsPinnedToACommit() async throws {
        let yaml = try GitHubWorkflow(config: try await Self.config("config/example.yaml")).yaml()
        let uses = yaml.split(separator: "\n").filter { $0.contains("uses: ") }
        #expect(!uses.isEmpty)
        for line in uses {
            let reference = line.split(separator: " ").first { $0.contains("@") }.map(String.init) ?? ""
            #expect(reference.split(separator: "@").last?.count == 40, "\(line)")
            #expect(line.contains(" # v"), "the release beside the pin: \(line)")
        }
    }
}

/// Bake files read the way buildx prints them.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct BakeDefinitionTests {
    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bake/\(name)"))
    }

    @Test func readsPlatformsOfEveryOutputStyle() throws {
        for name in ["bake-01-overrides.json", "bake-01-overrides.pre-v0.19.json"] {
            #expect(try BakeDefinition.parse(try Self.sample(name), file: name).targets == ["image": [try Platform.parse("linux/amd64")]])
        }
        let cross = try BakeDefinition.parse(try Self.sample("bake-buildx-0.10.4-binaries-cross.json"), file: "cross")
        #expect(cross.targets["binaries-cross"]?.count == 11)
        #expect(cross.targets["binaries-cross"]?.contains(try Platform.parse("linux/arm/v6")) == true)
        #expect(try BakeDefinition.parse(try Self.sample("bake-02-build.json"), file: "build").targets == ["build": []])
    }

    @Test func aTargetWithoutPlatformsOrAMissingTargetIsNamed() async throws {
        try await withTemporaryDirectory(prefix: "gantry-bake") { dir in
            try dir.write("docker-bake.json", #"{"group": {"all": {"targets": ["app", "tools"]}}, "target": {"app": {"context": "."}, "tools": {"platforms": ["linux/amd64"]}}}"#)
            for (target, expected) in [
                ("app", "target \"app\" lists no platforms"),
                ("all", "no target \"all\" (build.bake.target in \(dir.path)/gantry.yaml); targets: app, tools"),
                ("api", "`docker buildx bake --print api` exited with status 1: ERROR: failed to find target api"),
            ] {
                let path = try dir.write("gantry.yaml", "image: acme/app\nbuild: {bake: {file: docker-bake.json, target: \(target)}}\n")
                let config = try ReleaseConfigLoader.load(path: path)
                #expect(config.takesPlatformsFromBake)
                let error = await #expect(throws: BakeError.self) { try await config.resolvingBakePlatforms(docker: StubDocker.path) }
                #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
                #expect(error?.file.hasSuffix("docker-bake.json") == true)
            }
        }
    }

    @Test func platformsTheConfigListsWinOverTheBakeFile() async throws {
        try await withTemporaryDirectory(prefix: "gantry-bake") { dir in
            try dir.write("docker-bake.json", #"{"target": {"app": {"platforms": ["linux/amd64", "linux/arm64"]}}}"#)
            let path = try dir.write("gantry.yaml", "image: acme/app\nplatforms: [linux/riscv64]\nbuild: {bake: {file: docker-bake.json, target: app}}\n")
            // No docker is needed (or run) when the config lists its platforms.
            let config = try await ReleaseConfigLoader.load(path: path).resolvingBakePlatforms(docker: "/nonexistent/docker")
            #expect(config.platforms.map(\.platform.description) == ["linux/riscv64"])
        }
    }
}
