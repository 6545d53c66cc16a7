import Crypto
import Foundation
import GantryEngine
import GantryTestSupport
import Testing
import Yams

/// The workflow `gantry ci github` writes, run the way GitHub runs it: its version, build,
/// digest and publish scripts under bash with the stub docker (which does the registry
/// work for real) against two real registries, every imagetools command compared with
/// the one `gantry plan VERSION` prints, and skopeo reading every tag back.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct CIWorkflowTests {
    /// One job's steps, by name.
    struct Job {
        var steps: [[String: Any]]
        func script(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let step = try #require(steps.first { ($0["name"] as? String)?.hasPrefix(name) == true }, "step \(name)", sourceLocation: sourceLocation)
            return try #require(step["run"] as? String, sourceLocation: sourceLocation)
        }
    }

    static func jobs(_ yaml: String) throws -> [String: Job] {
        let workflow = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        return jobs.mapValues { Job(steps: $0["steps"] as? [[String: Any]] ?? []) }
    }

    /// Runs `script` as a GitHub `run:` step (bash, -e, pipefail) in `directory`.
    static func runStep(_ script: String, in directory: URL, environment: [String: String]) async throws -> ToolResult {
        let file = directory.appendingPathComponent(".step-\(UUID().uuidString).sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await runToolToEnd("bash", ["--noprofile", "--norc", "-eo", "pipefail", file.path], environment: environment, in: directory)
    }

    /// `key=value` lines a step wrote to `$GITHUB_OUTPUT`.
    static func outputs(_ file: URL) throws -> [String: String] {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        return Dictionary(lines.map { line in
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { $1 })
    }

    static let revision = "4f2c6a1e9b0d3c5e7f8a1b2c3d4e5f60718293a4"
    static let github = ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/demo", "GITHUB_SHA": revision]

    @Test func theWorkflowsScriptsPublishWhatPlanPrints() async throws {
        try await withRegistries(2) { registries in
            let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
            let project = try DemoProject(registries: registries.map(\.host), platforms: platforms, extra: [
                "builder": "buildx", "publisher": "imagetools", "attestations": "keep",
                "annotations": "{org.opencontainers.image.description: released by CI}",
            ])
            defer { project.remove() }
            let root = project.directory.url
            let written = try await GantryBinary.run(["ci", "github", "--config", project.configPath], in: root)
            #expect(written.status == 0, "\(written.stderr)")
            let jobs = try Self.jobs(try String(contentsOf: root.appendingPathComponent(".github/workflows/release.yml"), encoding: .utf8))
            let version = try #require(jobs["version"]), build = try #require(jobs["build"]), publish = try #require(jobs["publish"])
            let stubPath = ["PATH": StubDocker.searchPath]

            // The merge job's runner: one digests-SLUG folder per platform, as download-artifact leaves them.
            let merge = try TemporaryDirectory(prefix: "gantry-runner-publish")
            defer { merge.remove() }
            let buildVersion = try await outputsOfVersionStep(version, "v2.1.0", in: root)
            for platform in platforms {
                // Each matrix job runs on a runner of its own.
                let runner = try TemporaryDirectory(prefix: "gantry-runner-build")
                defer { runner.remove() }
                let env = Self.github.merging(stubPath) { $1 }.merging([
                    "RUNNER_TEMP": runner.path, "GANTRY_VERSION": buildVersion["version"]!, "GANTRY_PLATFORM": platform,
                    "GANTRY_SLUG": try Platform.parse(platform).slug,
                ]) { $1 }
                let built = try await Self.runStep(try build.script("Build"), in: root, environment: env)
                #expect(built.status == 0, "build \(platform): \(built.stderr)")
                let exported = try await Self.runStep(try build.script("Export the digest"), in: root, environment: env)
                #expect(exported.status == 0, "export \(platform): \(exported.stderr)")
                let digests = try FileManager.default.contentsOfDirectory(atPath: runner.path + "/gantry/digests")
                #expect(digests.count == 1 && digests[0].count == 64, "\(digests)")
                let artifact = merge.url.appendingPathComponent("gantry/digests/digests-\(try Platform.parse(platform).slug)")
                try FileManager.default.createDirectory(at: artifact, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: runner.path + "/gantry/digests/" + digests[0], toPath: artifact.appendingPathComponent(digests[0]).path)
            }
            let digestOf = try Dictionary(uniqueKeysWithValues: platforms.map { platform -> (String, String) in
                let folder = merge.url.appendingPathComponent("gantry/digests/digests-\(try Platform.parse(platform).slug)")
                return (platform, "sha256:" + (try FileManager.default.contentsOfDirectory(atPath: folder.path)[0]))
            })

            // Release lines in order (CI does not hold downgrades back; see the README).
            for (requested, tags) in [
                ("0.3.1", ["0.3.1", "0.3", "latest"]), ("1.0.0+build.7", ["1.0.0_build.7", "1.0", "1", "latest"]),
                ("v2.1.0", ["2.1.0", "2.1", "2", "latest"]), ("2.2.0-rc.1", ["2.2.0-rc.1"]),
            ] {
                var outputs = try await outputsOfVersionStep(version, requested, in: root)
                let plan = try await GantryBinary.run(["plan", requested, "--config", project.configPath, "--json", "--revision", Self.revision], in: root, environment: Self.github)
                #expect(plan.status == 0, "\(plan.stderr)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
                let annotations = try #require(json["annotations"] as? [String: String])
                // The same inputs as the plan: its creation time (the version step's own is checked above).
                outputs["created"] = annotations[AnnotationKey.created]
                let argsLog = merge.url.appendingPathComponent("argv-\(requested).jsonl")
                let env = Self.github.merging(stubPath) { $1 }.merging([
                    "RUNNER_TEMP": merge.path, "GANTRY_STUB_ARGS_LOG": argsLog.path,
                    "GANTRY_VERSION": outputs["version"]!, "GANTRY_TAG_VERSION": outputs["tag-version"]!,
                    "GANTRY_MAJOR": outputs["major"]!, "GANTRY_MINOR": outputs["minor"]!, "GANTRY_PATCH": outputs["patch"]!,
                    "GANTRY_PRERELEASE": outputs["prerelease"]!, "GANTRY_CREATED": outputs["created"]!,
                ]) { $1 }
                for registry in registries {
                    let published = try await Self.runStep(try publish.script("Publish \(registry.host)/gantry/demo"), in: root, environment: env)
                    #expect(published.status == 0, "publish \(requested) to \(registry.host): \(published.stderr)")
                    for tag in tags { #expect(published.stdout.contains("\(registry.host)/gantry/demo:\(tag): [\"linux/amd64\",\"linux/arm/v7\",\"linux/arm64\"]")) }
                }

                // Exactly the commands `gantry plan` prints, the digests in place of their placeholders.
                let planned = try #require(json["publishes"] as? [[String: Any]]).compactMap { $0["argv"] as? [String] }.map { argv in
                    argv.map { word in digestOf.reduce(word) { $0.replacingOccurrences(of: "<digest:\($1.key)>", with: $1.value) } }
                }
                let ran = try String(contentsOf: argsLog, encoding: .utf8).split(separator: "\n")
                    .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String] }
                    .filter { $0.starts(with: ["buildx", "imagetools", "create"]) }.map { ["docker"] + $0 }
                #expect(ran == planned)

                // skopeo: every tag in every registry is one index of every platform with the annotations.
                for registry in registries {
                    for tag in tags {
                        let reference = "\(registry.host)/gantry/demo:\(tag)"
                        let index = try await #require(try JSONSerialization.jsonObject(with: Skopeo.rawManifest(reference)) as? [String: Any])
                        #expect(index["annotations"] as? [String: String] == annotations, "\(reference)")
                        let entries = index["manifests"] as? [[String: Any]] ?? []
                        let images = entries.filter { ($0["platform"] as? [String: Any])?["os"] as? String != "unknown" }
                        #expect(images.map(platformText).sorted() == ["linux/amd64", "linux/arm/v7", "linux/arm64"], "\(reference)")
                    }
                }
            }
            // A merge job that failed is finished from a machine with the run's digests-* artifacts.
            let folders = platforms.map { merge.path + "/gantry/digests/digests-" + (try! Platform.parse($0)).slug }
            let finished = try await project.gantry(["publish", "--release-version", "2.3.0", "--from-digests"] + folders + ["--no-tui", "--yes"], environment: stubPath)
            #expect(finished.status == 0, "\(finished.stdout)\(finished.stderr)")
            for registry in registries {
                let entries = try await skopeoIndexEntries("\(registry.host)/gantry/demo:2.3.0")
                // Each digest is a platform's index of its manifest and attestation, flattened into the release's.
                #expect(entries.count == 2 * platforms.count)
                #expect(entries.filter { ($0["platform"] as? [String: Any])?["os"] as? String != "unknown" }.map(platformText).sorted() == ["linux/amd64", "linux/arm/v7", "linux/arm64"])
            }

            // A version that is not semver stops the workflow before anything is built.
            let bad = try await Self.runStep(try version.script("Check the version"), in: root, environment: [
                "GANTRY_REQUESTED_VERSION": "2.1", "GITHUB_OUTPUT": merge.path + "/bad-output",
            ])
            #expect(bad.status != 0)
            #expect(bad.stdout.contains("::error::the version is not a semantic version"))
        }
    }

    /// Runs the version job's step for `requested` (what a tag push's ref name or a manual input gives).
    /// The family's workflow (`config/family.yaml`), run as GitHub would: each image × platform
    /// job's build and digest export with the stub docker, the artifacts laid out as
    /// download-artifact leaves them, Gantry installed by its pinned sha256 (a stand-in `curl`
    /// serves the binary: tests reach no network) and `gantry publish --from-digests` run once
    /// for the family; skopeo reads every image's tags, and the journal artifact is there.
    @Test func aFamilysWorkflowBuildsImageByPlatformAndGantryPublishesTheFamily() async throws {
        try await withRegistries(2) { registries in
            let family = try FamilyCommandTests.ExampleFamily(registries: registries.map(\.host))
            defer { family.directory.remove() }
            let root = family.directory.url
            // Signed in CI: the key is a repository secret, handed to the publish step only.
            let key = P256.Signing.PrivateKey()
            let familyText = try String(contentsOfFile: family.config, encoding: .utf8)
            _ = try family.directory.write("family.yaml", familyText + "\nsign: {key-env: GANTRY_SIGNING_KEY}\n")
            let publicKey = try family.directory.write("cosign.pub", key.publicKey.pemRepresentation)
            let binary = try Data(contentsOf: GantryBinary.url)
            let pinned = String(sha256Digest(binary).dropFirst("sha256:".count))
            let written = try await GantryBinary.run(
                ["ci", "github", "--config", family.config, "--gantry-url", "https://gantry.invalid/gantry", "--gantry-sha256", pinned], in: root)
            #expect(written.status == 0, "\(written.stderr)")
            #expect(written.stdout.contains("3 images, 6 image × platform builds"), "\(written.stdout)")
            let file = root.appendingPathComponent(".github/workflows/release.yml")
            let yaml = try String(contentsOf: file, encoding: .utf8)
            #expect(try await WorkflowValidators.schemaErrors(file) == nil)
            #expect(try await WorkflowValidators.zizmorFindings(file).isEmpty)
            let jobs = try Self.jobs(yaml)
            let version = try #require(jobs["version"]), build = try #require(jobs["build"]), publish = try #require(jobs["publish"])
            let workflow = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let buildJob = try #require((workflow["jobs"] as? [String: Any])?["build"] as? [String: Any])
            let entries = try #require(((buildJob["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["include"] as? [[String: String]])
            #expect(entries.map { "\($0["image"] ?? "") \($0["platform"] ?? "")" } == ["gantry/app", "gantry/app:slim", "gantry/worker"].flatMap { ["\($0) linux/amd64", "\($0) linux/arm64"] })

            let outputs = try await outputsOfVersionStep(version, "v2.1.0", in: root)
            let merge = try TemporaryDirectory(prefix: "gantry-runner-publish")
            defer { merge.remove() }
            for entry in entries {
                let image = try #require(entry["image"]), artifact = try #require(entry["artifact"])
                let runner = try TemporaryDirectory(prefix: "gantry-runner-build")
                defer { runner.remove() }
                let env = Self.github.merging(["PATH": StubDocker.searchPath]) { $1 }.merging([
                    "RUNNER_TEMP": runner.path, "GANTRY_VERSION": outputs["version"]!, "GANTRY_PLATFORM": entry["platform"]!,
                    "GANTRY_SLUG": entry["slug"]!, "GANTRY_IMAGE": image,
                ]) { $1 }
                // The job runs the steps whose `if:` names its image.
                for step in build.steps where step["if"] as? String == "matrix.image == '\(image)'" {
                    let ran = try await Self.runStep(try #require(step["run"] as? String), in: root, environment: env)
                    #expect(ran.status == 0, "\(step["name"] ?? "") for \(image) \(entry["platform"]!): \(ran.stderr)")
                }
                let digests = try FileManager.default.contentsOfDirectory(atPath: runner.path + "/gantry/digests")
                #expect(digests.count == 1, "\(digests)")
                let record = runner.url.appendingPathComponent("gantry/digests/\(digests[0])")
                #expect(try String(contentsOf: record, encoding: .utf8) == image + "\n", "the digest file names its image")
                let folder = merge.url.appendingPathComponent("gantry/digests/digests-\(artifact)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: record, to: folder.appendingPathComponent(digests[0]))
            }

            // Gantry installed as pinned: a stand-in curl writes the binary where --output says.
            let tools = try TemporaryDirectory(prefix: "gantry-runner-tools")
            defer { tools.remove() }
            _ = try tools.write("curl", """
                #!/bin/sh
                while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2;; *) shift;; esac; done
                cat \(ShellQuote.quote(GantryBinary.url.path)) > "$out"

                """)
            chmod(tools.url.appendingPathComponent("curl").path, 0o755)
            let install = try publish.script("Install Gantry")
            let runnerEnv = Self.github.merging(["RUNNER_TEMP": merge.path, "PATH": tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]) { $1 }
            let tampered = install.replacingOccurrences(of: pinned, with: String(repeating: "0", count: 64))
            let refused = try await Self.runStep(tampered, in: root, environment: runnerEnv)
            #expect(refused.status != 0, "a binary of another sha256 is refused")
            #expect(!FileManager.default.isExecutableFile(atPath: merge.path + "/gantry/bin/gantry"), "and never made runnable")
            let installed = try await Self.runStep(install, in: root, environment: runnerEnv)
            #expect(installed.status == 0, "\(installed.stderr)")

            let publishStep = try #require(publish.steps.first { ($0["name"] as? String)?.hasPrefix("Publish every image") == true })
            #expect((publishStep["env"] as? [String: Any])?["GANTRY_SIGNING_KEY"] as? String == "${{ secrets.GANTRY_SIGNING_KEY }}", "\(publishStep)")
            let published = try await Self.runStep(try publish.script("Publish every image"), in: root, environment: runnerEnv.merging([
                "GANTRY_VERSION": outputs["version"]!, "GANTRY_SIGNING_KEY": key.pemRepresentation,
            ]) { $1 })
            #expect(published.status == 0, "\(published.stdout)\(published.stderr)")
            #expect(published.stdout.contains("every image published and verified"), "\(published.stdout)")
            for registry in registries {
                for reference in ["gantry/app:2.1.0", "gantry/app:2", "gantry/app:latest", "gantry/app:2.1.0-slim", "gantry/app:slim",
                                  "gantry/worker:2.1.0", "gantry/worker:latest"] {
                    #expect(try await skopeoPlatforms("\(registry.host)/\(reference)") == ["linux/amd64", "linux/arm64"], "\(reference)")
                }
            }
            // Signed as cosign would check it, apart from Gantry.
            let signed = try await Skopeo.digest("\(registries[0].host)/gantry/worker:latest")
            let check = try await runToolToEnd(
                GantryBinary.repositoryRoot().appendingPathComponent(".venv-tools/bin/python").path,
                [GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bin/cosign-verify-key").path, publicKey, "\(registries[0].host)/gantry/worker", signed])
            #expect(check.status == 0, "\(check.stderr)")
            // The journal the job uploads: one family entry, every image verified.
            let list = try await GantryBinary.run(["journal", "list", "--state-dir", merge.path + "/gantry/state"])
            #expect(list.stdout.contains("gantry/app, gantry/app:slim, gantry/worker"), "\(list.stdout)")
        }
    }

    func outputsOfVersionStep(_ job: Job, _ requested: String, in root: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: String] {
        let output = root.appendingPathComponent(".github-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try await Self.runStep(try job.script("Check the version", sourceLocation: sourceLocation), in: root, environment: [
            "GANTRY_REQUESTED_VERSION": requested, "GITHUB_OUTPUT": output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        let outputs = try Self.outputs(output)
        let parsed = try SemanticVersion.parse(requested)
        #expect(outputs["version"] == parsed.description, sourceLocation: sourceLocation)
        #expect(outputs["prerelease"] == String(parsed.isPrerelease), sourceLocation: sourceLocation)
        #expect(outputs["created"]?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, sourceLocation: sourceLocation)
        return outputs
    }
}
