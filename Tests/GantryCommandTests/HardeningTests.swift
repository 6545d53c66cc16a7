import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// Faults and hostile input against the real binary: closed pipes, signals, escape
/// sequences, bad paths and values, leaky credential helpers. Each checks one fix.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HardeningTests {
    /// Runs `script` with bash (pipefail on) and returns gantry's exit status, written by the script to a file.
    static func bash(_ script: String, environment: [String: String] = [:]) async throws -> Int32 {
        let status = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-status-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: status) }
        _ = try? await runTool("bash", ["-c", script + "; echo \"${PIPESTATUS[0]}\" > '\(status)'"], environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        return Int32(try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    static func quoted(_ words: [String]) -> String { words.map { "'\($0)'" }.joined(separator: " ") }

    /// The project's only journal, as JSON.
    static func journal(_ project: DemoProject, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let file = try #require(project.journalFiles().first, sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any], sourceLocation: sourceLocation)
    }

    @Test("a reader that closes stdout mid-publish does not stop the release: it ends verified, exit 0")
    func closedStdout() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let gantry = Self.quoted([GantryBinary.url.path, "release", "1.0.0", "--no-tui", "--yes", "--config", project.configPath, "--state-dir", project.stateDirectory])
            let status = try await Self.bash("\(gantry) | sed '/release publishing/q'")
            #expect(status == 0)
            let journal = try Self.journal(project)
            #expect(journal["phase"] as? String == "verified")
            try await ReleaseCommandTests.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries, platforms: ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("SIGHUP in plain mode cancels the builds like Ctrl-C: exit 129, no build left, journal cancelled")
    func hangupCancels() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64", "linux/arm64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            let pidFile = project.directory.url.appendingPathComponent("builders.pid").path
            let process = Process()
            process.executableURL = GantryBinary.url
            process.arguments = ["release", "1.0.0", "--no-tui", "--yes", "--config", project.configPath, "--state-dir", project.stateDirectory]
            process.environment = ProcessInfo.processInfo.environment.merging([
                "PATH": StubDocker.searchPath, "GANTRY_STUB_HANG": "1", "GANTRY_STUB_PIDFILE": pidFile,
            ]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.runUnblocked()
            let pids = try await ProcessProbe.pids(in: pidFile, atLeast: 2)
            kill(process.processIdentifier, SIGHUP)
            try await awaitExit(process)
            #expect(process.terminationStatus == 129)
            #expect(pids.allSatisfy { kill($0, 0) != 0 }, "every build process ended")
            let journal = try Self.journal(project)
            #expect(journal["phase"] as? String == "cancelled")
        }
    }

    @Test("Ctrl-C at the y/N question declines: exit 130, nothing published, the journal says so")
    func interruptAtTheQuestion() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let statusFile = project.directory.url.appendingPathComponent("status").path
            let gantry = Self.quoted([GantryBinary.url.path, "release", "1.0.0", "--no-tui", "--config", project.configPath, "--state-dir", project.stateDirectory])
            let session = try await TmuxSession(command: "sh -c \"trap : INT; \(gantry.replacingOccurrences(of: "\"", with: "\\\"")); echo \\$? > '\(statusFile)'\"", width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Publish these tags? [y/N]")
            try await session.send("C-c")
            try await session.waitUntil("gantry exits") { _ in FileManager.default.fileExists(atPath: statusFile) }
            #expect(try String(contentsOfFile: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "130")
            let journal = try Self.journal(project)
            #expect(journal["phase"] as? String == "cancelled")
            #expect(try await RegistryProbe.tags(host: registries[0].host, repository: "gantry/demo") == [])
        }
    }

    @Test("escape sequences from a label, a config and a registry never reach the terminal in plain output")
    func escapesAreStripped() async throws {
        try await withRegistry { registry in
            try await withTemporaryDirectory { dir in
                let fixtures = try ImageFixtures()
                defer { fixtures.remove() }
                let hostile = "\u{1B}]2;PWNED\u{07}\u{1B}[2J"
                try await fixtures.pushImage(platform: "linux/amd64", labels: ["org.opencontainers.image.created": hostile], to: "\(registry.host)/acme/app:1")
                let audit = try await GantryBinary.run(["audit", "\(registry.host)/acme/app:1", "--state-dir", dir.path + "/state"])
                // The sequence is shown, escaped, as the value it is (the terminal never sees it); the row is still there.
                #expect(audit.stdout.contains("\(registry.host)/acme/app:1") && audit.stdout.contains("\\u001B]2;PWNED\\u0007"), "\(audit.stdout)")
                #expect(!audit.stdout.contains("\u{1B}") && !audit.stdout.contains("\u{07}"))
                let config = try dir.write("gantry.yaml", "image: a/b\nregistries: [\(registry.host)]\nplatforms: [linux/amd64]\nbuild: {context: .}\nflavor: {prefix: \"\\e]2;X\\a\"}\n")
                let plan = try await GantryBinary.run(["plan", "1.0.0", "--config", config])
                #expect(plan.status == 2)
                #expect(plan.stderr.contains("flavor") && !plan.stderr.contains("\u{1B}") && !plan.stderr.contains("\u{07}"), "\(plan.stderr)")
                let json = try await GantryBinary.run(["audit", "\(registry.host)/acme/app:1", "--json", "--state-dir", dir.path + "/state"])
                #expect(json.stdout.contains("\\u001b]2;PWNED"), "JSON escapes it as JSON does")
            }
        }
    }

    @Test("one exit status scheme: bad input and nothing to act on exit 2 with one line and no usage text")
    func exitStatuses() async throws {
        try await withTemporaryDirectory(prefix: "gantry-exit") { dir in
            let file = try dir.write("a-file", "not a folder")
            let stateIsAFile = try await GantryBinary.run(["journal", "list", "--state-dir", file])
            #expect(stateIsAFile.status == 2)
            #expect(stateIsAFile.stderr == "gantry: error: \(file): is a file, not a folder (the state folder: --state-dir)\n")
            let nothing = try await GantryBinary.run(["resume", "--yes", "--state-dir", dir.path + "/state"])
            #expect(nothing.status == 2 && nothing.stderr.contains("no unfinished release") && !nothing.stderr.contains("Usage"))
            let folderAsMetadata = try await GantryBinary.run([
                "publish", "--release-version", "1.0.0", "--from-metadata", dir.path, "--yes",
                "--config", GantryBinary.repositoryRoot().appendingPathComponent("config/demo.yaml").path, "--state-dir", dir.path + "/state",
            ])
            #expect(folderAsMetadata.status == 2 && folderAsMetadata.stderr.contains("\(dir.path): cannot be read: is a folder, not a file"))
            let refused = try await GantryBinary.run(["audit", "127.0.0.1:9/acme/app:1", "--state-dir", dir.path + "/state"])
            #expect(refused.status == 2 && refused.stdout.contains("connection refused") && !refused.stdout.contains("errno"))
            let caBundle = try await GantryBinary.run(["audit", "--ca-bundle", dir.path + "/missing.pem", "127.0.0.1:9/acme/app:1"])
            #expect(caBundle.status == 2 && caBundle.stderr.contains("missing.pem: does not exist (--ca-bundle)"))
            let usage = try await GantryBinary.run(["release", "--no-such-flag"])
            #expect(usage.status == 2 && usage.stderr.contains("Usage"))
            let help = try await GantryBinary.run(["--help"])
            #expect(help.status == 0 && help.stdout.contains("Exit status"))
        }
    }

    @Test("config and metadata mistakes are named where they are")
    func mistakesAreLocated() async throws {
        try await withTemporaryDirectory(prefix: "gantry-input") { dir in
            let duplicate = try dir.write("dup.yaml", "image: a/b\nregistries: [127.0.0.1:5000]\nplatforms: [linux/amd64]\nimage: c/d\nbuild: {context: .}\n")
            let dup = try await GantryBinary.run(["plan", "1.0.0", "--config", duplicate])
            #expect(dup.status == 2 && dup.stderr.contains("dup.yaml:4:1: image: appears twice"), "\(dup.stderr)")
            let prefix = try dir.write("prefix.yaml", "image: a/b\nregistries: [127.0.0.1:5000]\nplatforms: [linux/amd64]\nbuild: {context: .}\nflavor: {prefix: \"-\"}\n")
            let flavor = try await GantryBinary.run(["plan", "1.0.0", "--config", prefix])
            #expect(flavor.status == 2 && flavor.stderr.contains("prefix.yaml:5:9: flavor: with the default tag rules"), "\(flavor.stderr)")
            let emptyHost = try dir.write("host.yaml", "image: a/b\nregistries: [\":5611\"]\nplatforms: [linux/amd64]\nbuild: {context: .}\n")
            let host = try await GantryBinary.run(["plan", "1.0.0", "--config", emptyHost])
            #expect(host.status == 2 && host.stderr.contains("registries[0]: \":5611\" has no host name"), "\(host.stderr)")
            let audit = try await GantryBinary.run(["audit", ":5611/x:latest"])
            #expect(audit.status == 2 && audit.stderr.contains("has no host name"))
            let tooLong = try await GantryBinary.run(["plan", "1.0.0-" + String(repeating: "a", count: 130), "--config", prefix.replacingOccurrences(of: "prefix.yaml", with: "host.yaml")])
            #expect(tooLong.status == 2)
            let metadata = try dir.write("meta.json", "{\"containerimage.digest\": 12}")
            let wrongType = try await GantryBinary.run([
                "publish", "--release-version", "1.0.0", "--from-metadata", metadata, "--yes",
                "--config", GantryBinary.repositoryRoot().appendingPathComponent("config/demo.yaml").path, "--state-dir", dir.path + "/state",
            ])
            #expect(wrongType.status == 2 && wrongType.stderr.contains("\"containerimage.digest\" has the wrong type: a number, expected a string"))
        }
    }

    @Test("a version too long for a tag is refused before building; a long one that fits builds with buildah")
    func longVersions() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let refused = try await project.gantry(["release", "1.0.0-" + String(repeating: "x", count: 125), "--no-tui", "--yes"])
            #expect(refused.status == 2 && refused.stderr.contains("characters), which is not valid"), "\(refused.stderr)")
            #expect(project.journalFiles().isEmpty, "nothing was started")
            let long = "1.0.0-" + String(repeating: "y", count: 110)
            let released = try await project.gantry(["release", long, "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            #expect(try await Skopeo.digest("\(registries[0].host)/gantry/demo:\(long)").hasPrefix("sha256:"))
        }
    }

    @Test("a failing credential helper that prints the secret: the secret is in no output and no journal")
    func leakyCredentialHelper() async throws {
        try await withRegistry(auth: .basic(user: "ci", password: "s3cret-Gantry-42")) { registry in
            try await withTemporaryDirectory { dir in
                _ = try dir.write("docker-credential-leaky", "#!/bin/sh\necho 'helper failed: password s3cret-Gantry-42' >&2\nexit 1\n")
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path + "/docker-credential-leaky")
                _ = try dir.write("docker/config.json", "{\"credHelpers\": {\"\(registry.host)\": \"leaky\"}}")
                let environment = ["DOCKER_CONFIG": dir.path + "/docker", "PATH": dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]
                let audit = try await GantryBinary.run(["audit", "\(registry.host)/acme/app:1", "--state-dir", dir.path + "/state"], environment: environment)
                #expect(audit.status != 0)
                #expect(!(audit.stdout + audit.stderr).contains("s3cret-Gantry-42"), "\(audit.stdout)\(audit.stderr)")
                #expect((audit.stdout + audit.stderr).contains("docker-credential-leaky get exited with status 1"))
            }
        }
    }

    @Test("a state folder that cannot be read is an error with its path and reason, never \"no releases\"")
    func unreadableStateFolder() async throws {
        try await withTemporaryDirectory(prefix: "gantry-unreadable") { dir in
            let state = dir.path + "/state"
            try FileManager.default.createDirectory(atPath: state + "/releases", withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: state)
            // Tests run as root, who reads everything: ask as nobody.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            for arguments in [["journal", "list"], ["journal", "show", "x"], ["resume", "--yes"]] {
                let result = try await runTool("bash", ["-c", "runuser -u nobody -- \(GantryBinary.url.path) \(arguments.joined(separator: " ")) --state-dir \(state) 2>&1; echo \"exit=$?\""])
                #expect(result.contains("\(state): cannot be read: Permission denied") && result.contains("exit=2"), "\(arguments): \(result)")
            }
        }
    }

    @Test("Ctrl-C while publishing lets the write in flight finish, journals exactly what moved, and stops; resume finishes")
    func interruptWhilePublishing() async throws {
        try await withRegistry { registry in
            // When the index's PUT reaches the registry, the user presses Ctrl-C: the tags are
            // written together after it, so none of them may start. (The build pushes its
            // platform's manifest by digest too; only the index is an index.)
            let gantry = Mutex<pid_t>(0)
            let interrupt: @Sendable (LoopbackHTTPServer.Request) -> Void = { request in
                if request.header("Content-Type") == "application/vnd.oci.image.index.v1+json" { kill(gantry.withLock { $0 }, SIGINT) }
            }
            let proxy = try FaultInjectingProxy(upstreamPort: registry.port, rules: [
                .init(method: "PUT", pathContains: "/manifests/sha256:", fault: .before(interrupt), times: Int.max),
            ])
            defer { proxy.stop() }
            let project = try DemoProject(registries: [proxy.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            let process = Process()
            process.executableURL = GantryBinary.url
            process.arguments = ["release", "1.0.0", "--no-tui", "--yes", "--config", project.configPath, "--state-dir", project.stateDirectory]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.runUnblocked()
            gantry.withLock { $0 = process.processIdentifier }
            try await awaitExit(process)
            #expect(process.terminationStatus == 130)
            let journal = try Self.journal(project)
            #expect(journal["phase"] as? String == "failed")
            let publication = try #require((journal["publications"] as? [[String: Any]])?.first)
            let error = try #require(publication["error"] as? [String: Any])
            #expect(error["kind"] as? String == "publish.stopped")
            #expect((error["message"] as? String)?.contains("stopped on request before the next write") == true, "\(error)")
            #expect((error["message"] as? String)?.contains("already moved") == false, "\(error)")
            // The write in flight (the index, after the platform's manifest) finished; no tag write
            // was sent. (The release record, pushed beside the index before any tag, may have
            // landed too: its manifest by digest and its `sha256-<hex>` referrers index.)
            let manifestPuts = proxy.log.filter { $0.method == "PUT" && $0.path.contains("/manifests/") }.map(\.path)
            let tagPuts = manifestPuts.compactMap { $0.components(separatedBy: "/manifests/").last }.filter { !$0.hasPrefix("sha256:") && !Referrers.isAttachmentTag($0) }
            #expect(tagPuts.isEmpty, "\(manifestPuts)")
            let index = try #require((journal["index"] as? [String: Any])?["digest"] as? String)
            #expect(manifestPuts.contains { $0.hasSuffix("/manifests/\(index)") }, "\(manifestPuts)")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo@\(index)") == index)
            #expect(try await RegistryProbe.tags(host: registry.host, repository: "gantry/demo").filter { !Referrers.isAttachmentTag($0) } == [])
            let resumed = try await project.gantry(["resume", "--no-tui", "--yes"])
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            try await ReleaseCommandTests.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: [registry], platforms: ["linux/amd64"])
        }
    }
}
