import Foundation
import GantryTestSupport
import Testing

/// The real `gantry` binary's console under tmux: a whole release of the demo against two
/// real registries, Ctrl-C in the middle of builds, a resize, the home screen's audit, Recover
/// and a rollback from the journal screen.
@Suite(.startsProcesses, .serialized, .timeLimit(.minutes(10))) struct ConsoleReleaseTests {
    static let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    /// The command that opens the release console (on a terminal).
    static let release = ["release"]

    /// `gantry ARGS --config … --state-dir …` as one shell word list for tmux.
    static func command(_ project: DemoProject, _ arguments: [String]) -> String {
        ([GantryBinary.url.path] + arguments + ["--config", project.configPath, "--state-dir", project.stateDirectory])
            .map { "'\($0)'" }.joined(separator: " ")
    }

    /// Releases 1.0.0 in the console and quits at the pending tags: built, unfinished, resumable.
    static func leaveAtPendingTags(_ project: DemoProject) async throws {
        let first = try await TmuxSession(command: command(project, release + ["1.0.0"]), width: 120, height: 40)
        defer { first.close() }
        try await first.waitFor("Every platform is built")
        try await quit(first)
    }

    /// `q`, then waits for gantry to exit.
    static func quit(_ session: TmuxSession) async throws {
        try await session.send("q")
        try await session.waitUntilExited()
    }

    /// At the pending tags of `version` (only new tags): `p`, Enter in the dialog, verified.
    static func publishConfirmed(_ session: TmuxSession, _ version: String) async throws {
        try await session.send("p")
        try await session.waitFor("Publish \(version)?")
        try await session.send("Enter")
        try await session.waitFor("Verified")
    }

    /// The platforms of the index `reference` points to, as `os/arch[/variant]`.
    static func indexPlatforms(_ reference: String) async throws -> [String] {
        let index = try #require(try JSONSerialization.jsonObject(with: await Skopeo.rawManifest(reference)) as? [String: Any])
        let manifests = try #require(index["manifests"] as? [[String: Any]], "\(reference) is not an index")
        return manifests.compactMap { $0["platform"] as? [String: Any] }.map { p in
            [p["os"], p["architecture"], p["variant"]].compactMap { $0 as? String }.joined(separator: "/")
        }.sorted()
    }

    @Test("a release in the console: the matrix fills, the pending tags show, typing the version publishes, skopeo agrees")
    func releaseThroughTheConsole() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            let session = try await TmuxSession(command: Self.command(project, Self.release + ["1.0.0"]), width: 120, height: 40)
            defer { session.close() }
            // The demo builds in about a second, so the matrix is checked once every platform is done
            // (waiting to catch it mid-build would race the builds).
            do {
                try await session.waitFor("Every platform is built")
            } catch {
                // The screen cuts long errors; the journal has them whole.
                let journals = project.journalFiles().compactMap { try? String(contentsOf: $0, encoding: .utf8) }
                Issue.record("\(error)\njournal:\n\(journals.joined(separator: "\n"))")
                throw error
            }
            try await session.send("r")
            let matrix = try await session.waitUntil("the matrix with every platform") { screen in
                Self.platforms.allSatisfy { screen.contains($0) } && screen.contains("Platforms 3/3")
            }
            #expect(matrix.contains("Platforms 3/3"))
            try await session.send("t")
            let tags = try await session.waitUntil("the pending tags") { $0.contains("Pending tags") }
            for tag in ["1.0.0", "1.0", "latest"] { #expect(tags.contains(tag), "pending tag \(tag) shown") }
            try await session.send("p")
            try await session.waitFor("Publish 1.0.0?")
            try await session.send("1.0.0", literal: true)
            try await session.send("Enter")
            try await session.waitFor("Verified")
            for registry in registries {
                await #expect(try Self.indexPlatforms("\(registry.host)/gantry/demo:1.0.0") == Self.platforms.sorted())
            }
            try await session.resize(width: 90, height: 30)
            // Relaid out: the status line (wrapped when longer than 90 columns) moves to the new
            // last rows, the view tabs to the new right edge.
            let resized = try await session.waitUntil("the status line ending on row 30") { screen in
                let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return rows.count >= 30 && rows[27...29].contains { $0.contains("Verified") } && !rows[29].isEmpty
                    && rows[0].hasSuffix("Publish") && rows[0].count <= 90
            }
            #expect(resized.contains("✓ verified"))
            try await Self.quit(session)
        }
    }

    @Test("moving tags that lose a platform needs the typed version; Esc declines and nothing moves")
    func declineMovedTags() async throws {
        try await withRegistries(1) { registries in
            let full = try DemoProject(registries: registries.map(\.host))
            defer { full.remove() }
            #expect(try await full.gantry(["release", "1.0.0", "--no-tui", "--yes"]).status == 0)
            let latest = try await Skopeo.digest("\(registries[0].host)/gantry/demo:latest")
            let fewer = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64", "linux/arm64"])
            defer { fewer.remove() }
            let session = try await TmuxSession(command: Self.command(fewer, Self.release + ["1.0.1"]), width: 120, height: 40)
            defer { session.close() }
            let pending = try await session.waitFor("Every platform is built")
            #expect(pending.contains("loses linux/arm/v7"))
            try await session.send("p")
            try await session.waitFor("Type 1.0.1 to confirm")
            try await session.send("1.0", literal: true)
            try await session.send("Enter")
            try await session.waitFor("\"1.0\" is not 1.0.1")
            try await session.send("Escape")
            try await session.waitFor("nothing was published")
            try await Self.quit(session)
            #expect(try await Skopeo.digest("\(registries[0].host)/gantry/demo:latest") == latest, "latest did not move")
            let tags = try await runTool("skopeo", ["list-tags", "--tls-verify=false", "docker://\(registries[0].host)/gantry/demo"])
            #expect(!tags.contains("\"1.0.1\""), "nothing was tagged")
            let journal = try JSONSerialization.jsonObject(with: Data(contentsOf: try #require(fewer.journalFiles().last))) as? [String: Any]
            #expect(journal?["phase"] as? String == "cancelled", "the journal records the decline")
        }
    }

    /// A release whose builds (the buildx stand-in) hang until cancelled, under tmux; the
    /// shell writes `stty -a` to `sttyFile` once gantry has ended. Returns the build pids.
    static func hangingRelease(_ project: DemoProject, sttyFile: String) async throws -> (TmuxSession, [Int32]) {
        let pidFile = project.directory.url.appendingPathComponent("builders.pid").path
        let stubs = GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bin").path
        let environment = [
            "PATH": stubs + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "GANTRY_STUB_HANG": "1", "GANTRY_STUB_PIDFILE": pidFile,
        ]
        // `trap : INT` keeps the shell alive through Ctrl-C (gantry still gets its own SIGINT).
        let shell = "sh -c \"trap : INT; \(command(project, release + ["1.0.0"])); stty -a > '\(sttyFile)'\""
        let session = try await TmuxSession(command: shell, width: 120, height: 40, environment: environment)
        let pids = try await ProcessProbe.pids(in: pidFile, atLeast: 3)
        try await session.waitFor("building")
        return (session, pids)
    }

    /// Waits for the shell to end and every build process to be gone; checks the terminal modes.
    static func expectCancelledAndSane(
        _ session: TmuxSession, pids: [Int32], sttyFile: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        // The shell ends after `stty` has written its file: wait for that, not for the file to appear.
        try await session.waitUntilExited()
        try await poll("every build process to end", observe: { pids.filter { kill($0, 0) == 0 } }, describe: { "alive: \($0)" }, until: \.isEmpty)
        #expect(pids.allSatisfy { kill($0, 0) != 0 }, "every build process ended", sourceLocation: sourceLocation)
        let stty = try String(contentsOfFile: sttyFile, encoding: .utf8)
        let modes = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(modes.contains("icanon") && modes.contains("echo"), "\(stty)", sourceLocation: sourceLocation)
        #expect(!modes.contains("-icanon") && !modes.contains("-echo"), "\(stty)", sourceLocation: sourceLocation)
    }

    @Test("Ctrl-C during builds cancels them, leaves no build process and a sane terminal")
    func interruptDuringBuild() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), extra: ["builder": "buildx"])
            defer { project.remove() }
            let sttyFile = project.directory.url.appendingPathComponent("stty.txt").path
            let (session, pids) = try await Self.hangingRelease(project, sttyFile: sttyFile)
            defer { session.close() }
            try await session.send("C-c")
            try await Self.expectCancelledAndSane(session, pids: pids, sttyFile: sttyFile)
        }
    }

    @Test("q while builds run asks first; Esc keeps building, Enter cancels them")
    func quitWhileBuilding() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), extra: ["builder": "buildx"])
            defer { project.remove() }
            let sttyFile = project.directory.url.appendingPathComponent("stty.txt").path
            let (session, pids) = try await Self.hangingRelease(project, sttyFile: sttyFile)
            defer { session.close() }
            try await session.send("q")
            try await session.waitFor("3 build(s) still running")
            try await session.send("Escape")
            try await session.waitUntil("the prompt to close") { !$0.contains("still running") }
            #expect(pids.allSatisfy { kill($0, 0) == 0 }, "Esc keeps the builds running")
            try await session.send("q")
            try await session.waitFor("3 build(s) still running")
            try await session.send("Enter")
            try await Self.expectCancelledAndSane(session, pids: pids, sttyFile: sttyFile)
        }
    }

    @Test("gantry with no arguments opens the home screen; the audit shows a reference's platforms")
    func homeAndAudit() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            #expect(try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"]).status == 0)
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Recover")
            try await session.send("j")
            try await session.send("Enter")
            try await session.waitFor("Reference")
            try await session.send("\(registries[0].host)/gantry/demo:1.0.0", literal: true)
            try await session.send("Enter")
            let digest = try await Skopeo.digest("\(registries[0].host)/gantry/demo:1.0.0")
            let screen = try await session.waitFor("linux/amd64")
            #expect(screen.contains(String(digest.dropFirst("sha256:".count).prefix(12))), "\(screen)")
            #expect(screen.contains("latest"), "tags sharing the digest are listed")
            // The reference field keeps the keyboard (q would be text there): Esc goes back to Home.
            try await session.send("Escape")
            try await session.waitFor("Recover")
            try await Self.quit(session)
        }
    }

    @Test("Recover lists a release quit at its pending tags under a; Enter resumes it in the release console and publishes it")
    func recoverResumesARelease() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            // Quitting at the pending tags leaves the release unfinished (built, resumable).
            try await Self.leaveAtPendingTags(project)
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Recover")
            try await session.send("j")
            try await session.send("j")
            try await session.send("Enter")
            // Quit before confirming, it is not offered by default: a lists every journal.
            try await session.waitFor("1 more not offered: a shows all")
            try await session.send("a")
            try await session.waitFor("quit before confirming")
            try await session.send("Enter")
            try await session.waitUntil("the pending tags of the resumed release") { $0.contains("Pending tags") && $0.contains("+4 new") }
            try await Self.publishConfirmed(session, "1.0.0")
            await #expect(try Self.indexPlatforms("\(registries[0].host)/gantry/demo:latest") == ["linux/amd64"])
            try await Self.quit(session)
        }
    }

    @Test("Audit → a single-platform latest side by side in both registries → Enter on the finding runs the repair in the console (latest pointed at the index the other registry holds); skopeo finds latest whole everywhere")
    func auditRepairFromTheConsole() async throws {
        try await withRegistries(2) { registries in
            let (a, b) = (registries[0].host, registries[1].host)
            let platforms = ["linux/amd64", "linux/arm64"]
            let project = try DemoProject(registries: [a, b], platforms: platforms)
            defer { project.remove() }
            #expect(try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"]).status == 0)
            // A single-platform image pushed last overwrites latest in the first registry.
            let images = try ImageFixtures()
            defer { images.remove() }
            try await images.pushImage(platform: "linux/amd64", to: "\(a)/gantry/demo:latest")
            #expect(try await runTool("skopeo", ["inspect", "--tls-verify=false", "--raw", "docker://\(a)/gantry/demo:latest"]).contains("\"layers\""))

            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Recover")
            try await session.send("j")
            try await session.send("Enter")
            try await session.waitFor("Reference")
            try await session.send("gantry/demo:latest", literal: true)
            try await session.send("Enter")
            // The field keeps the keyboard after the audit: Tab, once the findings show, selects them.
            try await session.waitUntil("the findings of latest") { $0.contains("not-an-index") }
            try await session.send("Tab")
            let side = try await session.waitUntil("latest side by side with its findings and repair") {
                // The repair wraps: the whole command shows.
                $0.contains("not-an-index") && $0.contains("↵ repair: gantry tag") && $0.contains("\(b)/gantry/demo@sha256:")
            }
            let rows = side.split(separator: "\n").map(String.init)
            let rowA = try #require(rows.first { $0.contains(a) && $0.contains("✗") }, "\(side)")
            let rowB = try #require(rows.first { $0.contains(b) && $0.contains("✗") }, "\(side)")
            #expect(rowA.contains("linux/amd64") && !rowA.contains("linux/arm64"), "\(rowA)")
            #expect(rowB.contains("linux/amd64, linux/arm64") && rowB.contains("1.0.0"), "\(rowB)")
            #expect(side.contains("missing-platform") && side.contains("drift"), "\(side)")
            try await session.send("Enter")
            try await session.waitFor("Move these tags?")
            try await session.send("Enter")
            try await session.waitFor("Tagged and verified")
            for host in [a, b] {
                await #expect(try skopeoPlatforms("\(host)/gantry/demo:latest") == platforms, "\(host)")
            }
            try await Self.quit(session)
        }
    }

    @Test("Home → Release: a bad version is refused in the console, a good one opens the release screen and publishes; Esc goes back to a live Home")
    func releaseFromHome() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Recover")
            try await session.send("Enter")
            try await session.waitFor("Version to release")
            try await session.send("1.2", literal: true)
            try await session.send("Enter")
            try await session.waitFor("invalid version \"1.2\"")
            try await session.send("C-u")
            try await session.send("1.2.0", literal: true)
            try await session.send("Enter")
            try await session.waitFor("Every platform is built")
            try await session.send("p")
            try await session.waitFor("Publish 1.2.0?")
            try await session.send("Enter")
            try await session.waitFor("Verified")
            await #expect(try Self.indexPlatforms("\(registries[0].host)/gantry/demo:1.2.0") == ["linux/amd64"])
            // Esc steps back through the release's screens, and from the first one to Home opened
            // afresh: its Release item offers the version after the one just published.
            let home = try await poll("Home, opened afresh, after Esc", every: .milliseconds(300), observe: {
                try await session.send("Escape")
                return try await session.capture()
            }, describe: { $0 }) { $0.contains("Release 1.2.1") }
            #expect(home.contains("Image gantry/demo"), "\(home)")
            try await Self.quit(session)
        }
    }

    @Test("a platform fails in the real console: its row is selected, Enter shows its step and error, R builds it again, p publishes both")
    func retryAFailedPlatform() async throws {
        try await withRegistries(1) { registries in
            let platforms = ["linux/amd64", "linux/arm64"]
            let project = try DemoProject(registries: registries.map(\.host), platforms: platforms, extra: ["builder": "buildx", "parallel": "1"])
            defer { project.remove() }
            // The stand-in fails at a RUN step.
            try project.directory.write("demo/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
            let marker = project.directory.url.appendingPathComponent("failed-once").path
            let session = try await TmuxSession(command: Self.command(project, Self.release + ["1.0.0"]), width: 120, height: 40,
                                          environment: ["PATH": StubDocker.searchPath, "GANTRY_STUB_FAIL_ONCE": marker])
            defer { session.close() }
            let failed = try await session.waitUntil("a failed platform and the flow's hint") { $0.contains("✗ failed") && $0.contains("R builds the selected platform again") }
            let failedRow = String(failed.split(separator: "\n").first { $0.contains("✗ failed") } ?? "")
            let failedPlatform = platforms.first { failedRow.contains($0) } ?? "no platform"
            try await session.send("p")
            try await session.waitFor("\(failedPlatform) (failed: \(failedPlatform) failed at step")
            try await session.send("Enter")
            let detail = try await session.waitUntil("the failed platform's detail") { $0.contains("Log · \(failedPlatform)") && $0.contains("Error:") }
            #expect(detail.contains("Step:"), "\(detail)")
            try await session.send("Escape")
            try await session.send("R")
            try await session.waitFor("Every platform is built")
            try await Self.publishConfirmed(session, "1.0.0")
            #expect(try await Self.indexPlatforms("\(registries[0].host)/gantry/demo:1.0.0") == platforms)
            try await Self.quit(session)
        }
    }

    @Test("Recover → Enter on a release that cannot be resumed (its config changed) says why; the console stays open")
    func recoverRefusesInTheConsole() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            // Quitting at the pending tags leaves the release unfinished; then its config changes.
            try await Self.leaveAtPendingTags(project)
            try project.directory.write("gantry.yaml", try String(contentsOfFile: project.configPath, encoding: .utf8) + "# edited\n")
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Recover")
            try await session.send("j")
            try await session.send("j")
            try await session.send("Enter")
            try await session.waitFor("1 more not offered: a shows all")
            try await session.send("a")
            try await session.waitFor("quit before confirming")
            try await session.send("Enter")
            let screen = try await session.waitFor("changed since")
            #expect(try await session.isRunning(), "the console stays open")
            #expect(screen.contains("gantry · Recover"), "\(screen)")
            try await Self.quit(session)
        }
    }

    @Test("Home → Journal → the 1.0.1 release → b shows the rollback's preview → Enter: latest is back on 1.0.0's index in every registry")
    func rollbackFromTheJournal() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            for version in ["1.0.0", "1.0.1"] {
                let result = try await project.gantry(["release", version, "--no-tui", "--yes"])
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            }
            var before: [String] = []
            for registry in registries { before.append(try await Skopeo.digest("\(registry.host)/gantry/demo:1.0.0")) }
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Journal")
            for _ in 0..<3 { try await session.send("j") }
            try await session.send("Enter")
            // Newest first: the 1.0.1 release is selected.
            let list = try await session.waitFor("2 journal(s)")
            #expect(list.contains("1.0.1") && list.contains("1.0.0") && list.contains("verified"), "\(list)")
            try await session.send("Enter")
            try await session.waitFor("Publications")
            try await session.send("b")
            let preview = try await session.waitFor("Roll back 1.0.1?")
            for registry in registries { #expect(preview.contains("\(registry.host) latest: 1.0.1"), "\(preview)") }
            try await session.send("Enter")
            try await session.waitFor("Rolled back")
            for (registry, digest) in zip(registries, before) {
                #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:latest") == digest, "latest is back on 1.0.0 in \(registry.host)")
            }
            try await Self.quit(session)
        }
    }

    @Test("Journal → D: a CI run's digests typed in the real console are published there (pending tags, confirm, verified); skopeo agrees")
    func publishDigestsFromTheConsole() async throws {
        try await withRegistries(1) { registries in
            let platforms = ["linux/amd64", "linux/arm64"]
            let project = try DemoProject(registries: registries.map(\.host), platforms: platforms)
            defer { project.remove() }
            let built = try await project.builtDigests("1.0.0").map(\.digest)
            for digest in built { try project.directory.write("digests/digests-\(digest.suffix(6))/\(digest)", "") }
            let session = try await TmuxSession(command: Self.command(project, []), width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Journal")
            try await session.send("Down"); try await session.send("Down"); try await session.send("Down"); try await session.send("Enter")
            try await session.waitFor("D digests")
            try await session.send("D")
            try await session.waitFor("Publish digests")
            try await session.send("1.0.0 " + project.directory.url.appendingPathComponent("digests").path, literal: true)
            try await session.send("Enter")
            try await session.waitFor("review the pending tags")
            try await Self.publishConfirmed(session, "1.0.0")
            #expect(try await Self.indexPlatforms("\(registries[0].host)/gantry/demo:latest") == platforms)
            try await Self.quit(session)
        }
    }

    @Test("the terminal closing under the second console of a run (Home → Release) ends gantry: SIGHUP is handled there too, nothing spins")
    func hangupInTheSecondConsole() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: ["linux/amd64"])
            defer { project.remove() }
            let pidFile = project.directory.url.appendingPathComponent("gantry.pid").path
            let session = try await TmuxSession(command: "sh -c \"echo \\$$ > '\(pidFile)'; exec \(Self.command(project, []))\"", width: 120, height: 40)
            defer { session.close() }
            try await session.waitFor("Release")
            try await session.send("Enter")
            try await session.waitFor("Suggestions")
            try await session.send("1.0.0", literal: true)
            try await session.send("Enter")
            try await session.waitFor("review the pending tags")
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            session.close()
            // Before the fix the release console ignored SIGHUP and read the dead terminal in a loop at full CPU.
            let exited = (try? await poll("gantry (pid \(pid)) to exit") { kill(pid, 0) != 0 }) != nil
            #expect(exited, "gantry \(pid) still runs after its terminal closed")
            if !exited { kill(pid, SIGKILL) }  // a test stops what it started, even when it fails
            let listed = try await project.gantry(["journal", "list", "--json"])
            #expect(listed.stdout.contains("\"state\" : \"interrupted"), "the release is left resumable: \(listed.stdout)")
        }
    }

    @Test("without a terminal, gantry prints a short help and exits 0")
    func noTerminal() async throws {
        let result = try await GantryBinary.run([])
        #expect(result.status == 0)
        #expect(result.stdout.contains("gantry release VERSION"))
    }
}
