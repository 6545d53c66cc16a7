import Foundation
import GantryTestSupport
import Testing

/// The checks before building, as the real binary runs them: a registry that does not
/// answer or a builder that is missing stops the release before the first build, with
/// exit status 2, nothing journaled to resume, and a next step that works.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PreflightCommandTests {
    /// The argv of every stub `docker` call logged in `file` that built something.
    private func builds(loggedIn file: String) throws -> [[String]] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String]) }
            .filter { $0.count > 1 && ($0[1] == "build" || $0[1] == "bake") }
    }

    @Test("a registry on a closed port stops the release before building, exit 2, naming the host and the fix")
    func closedPortStopsBeforeBuilding() async throws {
        try await withRegistry { registry in
            let closed = "127.0.0.1:\(try freeLoopbackPort())"
            let project = try DemoProject(registries: [registry.host, closed], platforms: ["linux/amd64", "linux/arm64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            let log = project.directory.url.appendingPathComponent("docker-args.log").path
            let result = try await project.gantry(["release", "1.2.3", "--no-tui", "--yes"],
                                                  environment: ["PATH": StubDocker.searchPath, "GANTRY_STUB_ARGS_LOG": log])
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("\(closed): nothing answers there (connection refused)"), "\(result.stderr)")
            #expect(result.stderr.contains(project.configPath))
            #expect(result.stderr.contains("run `gantry release 1.2.3` again"))
            #expect(!result.stderr.contains("Error") && !result.stderr.contains("errno") && !result.stderr.contains("resume"))
            #expect(try builds(loggedIn: log).isEmpty, "no build started")
            #expect(project.journalFiles().isEmpty, "nothing left to resume")
        }
    }

    @Test("docker without buildx and `builder: buildx` stops before building, exit 2")
    func missingBuildxStopsBeforeBuilding() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"], extra: ["builder": "buildx", "publisher": "imagetools"])
            defer { project.remove() }
            let log = project.directory.url.appendingPathComponent("docker-args.log").path
            let result = try await project.gantry(["release", "1.2.3", "--no-tui", "--yes"], environment: [
                "PATH": StubDocker.searchPath, "GANTRY_STUB_NO_BUILDX": "1", "GANTRY_STUB_ARGS_LOG": log,
            ])
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("docker buildx is not available (`docker buildx version` failed)"), "\(result.stderr)")
            #expect(result.stderr.contains("set `builder: buildah` in \(project.configPath)"))
            #expect(try builds(loggedIn: log).isEmpty, "no build started")
            #expect(project.journalFiles().isEmpty, "nothing left to resume")
        }
    }

    @Test("a registry whose name does not resolve is said in Gantry's words, never as a library's error type")
    func unknownHostInGantrysWords() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host, "registry.gantry-test.invalid"], platforms: ["linux/amd64"])
            defer { project.remove() }
            let result = try await project.gantry(["release", "1.2.3", "--no-tui", "--yes"])
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("registry.gantry-test.invalid: no such host"), "\(result.stderr)")
            #expect(!result.stderr.contains("SocketAddressError") && !result.stderr.contains("NIO"))
            #expect(project.journalFiles().isEmpty)
        }
    }
}
