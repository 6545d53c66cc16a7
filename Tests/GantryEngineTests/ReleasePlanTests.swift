import Foundation
import GantryEngine
import GantryTestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct ReleasePlanTests {
    let state = StateDirectory(root: URL(fileURLWithPath: "/state"))

    func example() throws -> ReleaseConfig {
        try ReleaseConfigLoader.load(path: GantryBinary.repositoryRoot().appendingPathComponent("config/example.yaml").path)
    }

    @Test func buildxCommandsPushByDigestWithoutTags() throws {
        let plan = try ReleasePlan(config: try example(), version: try SemanticVersion.parse("3.14.1"), state: state, revision: "abc123")
        #expect(plan.builds.count == 4)
        for (step, target) in zip(plan.builds, plan.platforms) {
            let argv = step.argv
            #expect(Array(argv.prefix(3)) == ["docker", "buildx", "build"])
            #expect(!argv.contains("--tag") && !argv.contains("-t") && !argv.contains("--push"))
            let output = try #require(argv.firstIndex(of: "--output").map { argv[$0 + 1] })
            #expect(output == "type=image,\"name=docker.io/acme/app,ghcr.io/acme/app\",push-by-digest=true,name-canonical=true,push=true")
            #expect(argv.contains("--progress") && argv[argv.firstIndex(of: "--progress")! + 1] == "rawjson")
            let metadata = try #require(argv.firstIndex(of: "--metadata-file").map { argv[$0 + 1] })
            #expect(metadata == "/state/releases/\(plan.releaseID)/metadata/\(target.platform.slug).json")
            #expect(argv.contains("org.opencontainers.image.version=3.14.1"))
            #expect(argv.contains("org.opencontainers.image.revision=abc123"))
        }
        #expect(plan.builds[1].argv.contains("--builder") && plan.builds[1].argv.contains("arm-node"))
        #expect(!plan.builds[0].argv.contains("--builder"))
        #expect(plan.builds[0].shell.contains("--output 'type=image,\"name=docker.io/acme/app,ghcr.io/acme/app\",push-by-digest=true,name-canonical=true,push=true'"))
    }

    @Test func oneImagetoolsCreatePerRegistryWithEveryTagAndDigest() throws {
        let plan = try ReleasePlan(config: try example(), version: try SemanticVersion.parse("3.14.1"), state: state)
        #expect(plan.publishes.map(\.subject) == ["docker.io", "ghcr.io"])
        for (step, registry) in zip(plan.publishes, ["docker.io", "ghcr.io"]) {
            #expect(!step.argv.contains("--append"))
            let tags = step.argv.indices.filter { step.argv[$0] == "-t" }.map { step.argv[$0 + 1] }
            #expect(tags == ["3.14.1", "3.14", "3", "latest"].map { "\(registry)/acme/app:\($0)" })
            #expect(step.argv.filter { $0.hasPrefix("\(registry)/acme/app@<digest:") }.count == 4)
        }
    }

    @Test func buildahPlanUploadsByDigestAndPublishesNatively() throws {
        let plan = try ReleasePlan(config: try example(), version: try SemanticVersion.parse("0.4.2"), state: state, builder: .buildah)
        #expect(plan.publisher == .native)
        #expect(plan.registries.allSatisfy { $0.tags == ["0.4.2", "0.4", "latest"] })
        #expect(plan.builds.filter { $0.argv.first == "buildah" }.count == 8)
        #expect(plan.builds.allSatisfy { !$0.argv.contains("docker://") })
        #expect(plan.publishes.allSatisfy { $0.argv.isEmpty })
    }

    @Test func relativePathsFollowTheConfigFile() throws {
        let config = try ReleaseConfigLoader.parse(yaml: "image: a/b\nplatforms: [linux/amd64]\nbuild: {context: demo, dockerfile: demo/Dockerfile}\n", source: "config/demo.yaml")
        let plan = try ReleasePlan(config: config, version: try SemanticVersion.parse("1.0.0"), state: state)
        #expect(plan.builds[0].argv.last == "config/demo")
        #expect(plan.builds[0].argv.contains("config/demo/Dockerfile"))
    }

    @Test func jsonRoundTrips() throws {
        let plan = try ReleasePlan(config: try example(), version: try SemanticVersion.parse("3.15.0-rc.1"), state: state)
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(ReleasePlan.self, from: data) == plan)
        #expect(plan.registries.allSatisfy { $0.tags == ["3.15.0-rc.1"] })
    }

    @Test func shellQuoting() {
        #expect(ShellQuote.join(["echo", "a b", "it's", "x=1", ""]) == "echo 'a b' 'it'\\''s' x=1 ''")
    }
}
