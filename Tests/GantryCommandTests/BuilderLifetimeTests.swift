import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Builders never outlive Gantry, whatever ends it: the stub builds hang (each stub leads
/// its process group and starts a `sleep` in it, recording its pid), Gantry is ended from
/// outside, and every process of every build's group must be gone.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct BuilderLifetimeTests {
    static let platforms = ["linux/amd64", "linux/arm64"]

    static func environment(pidFile: String) -> [String: String] {
        ["PATH": StubDocker.searchPath, "GANTRY_STUB_HANG": "1", "GANTRY_STUB_PIDFILE": pidFile]
    }

    /// Polls until no process of the builds' groups (the stubs and their `sleep`s) is alive.
    static func expectBuildersGone(_ groups: [Int32]) async throws {
        try await poll("every build's process group to be gone", deadline: Patience.exit,
                       observe: { groups.flatMap { ProcessGroupReaper.livingMembers(of: $0) } },
                       describe: { "alive: \($0)" }, until: { $0.isEmpty })
    }

    @Test("SIGKILL of gantry kills its builds: no builder process is left")
    func sigkill() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: Self.platforms, extra: ["builder": "buildx"])
            defer { project.remove() }
            let pidFile = project.directory.url.appendingPathComponent("builders.pid").path
            let process = Process()
            process.executableURL = GantryBinary.url
            process.arguments = ["release", "1.0.0", "--no-tui", "--yes", "--config", project.configPath, "--state-dir", project.stateDirectory]
            process.environment = ProcessInfo.processInfo.environment.merging(Self.environment(pidFile: pidFile)) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.runUnblocked()
            let groups = try await ProcessProbe.pids(in: pidFile, atLeast: Self.platforms.count)
            #expect(!groups.flatMap { ProcessGroupReaper.livingMembers(of: $0) }.isEmpty, "the builds run")
            kill(process.processIdentifier, SIGKILL)
            try await awaitExit(process)
            try await Self.expectBuildersGone(groups)
        }
    }

    @Test("a closed terminal's second SIGHUP arriving late (a loaded machine's shell), after the console stopped, is the same hangup: the builds are stopped and journaled, Gantry is not ended by it first")
    func lateSecondHangup() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: Self.platforms, extra: ["builder": "buildx"])
            defer { project.remove() }
            let pidFile = project.directory.url.appendingPathComponent("builders.pid").path
            let gantry = [GantryBinary.url.path, "release", "1.0.0", "--config", project.configPath, "--state-dir", project.stateDirectory]
                .map { "'\($0)'" }.joined(separator: " ")
            // The builds ignore SIGTERM, so stopping them takes the grace period: the second
            // hangup arrives while Gantry is still stopping them.
            var environment = Self.environment(pidFile: pidFile)
            environment["GANTRY_STUB_IGNORE_TERM"] = "1"
            // exec: the pane's process is gantry itself, not a shell around it.
            let session = try await TmuxSession(command: "exec " + gantry, width: 120, height: 40, environment: environment)
            defer { session.close() }
            let groups = try await ProcessProbe.pids(in: pidFile, atLeast: Self.platforms.count)
            let pid = try #require(try await session.panePID())
            kill(pid, SIGHUP)
            // The scenario, not a wait for something: the shell's hangup 1.5 s after the kernel's.
            try await Task.sleep(for: .milliseconds(1500))
            #expect(kill(pid, 0) == 0, "gantry is still stopping the builds when the second hangup comes")
            kill(pid, SIGHUP)
            try await Self.expectBuildersGone(groups)
            let journal = try #require(project.journalFiles().first)
            let phase = try await poll("the journal to record the stopped builds", deadline: Patience.wait, observe: { () -> String in
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: journal)) as? [String: Any]
                return json?["phase"] as? String ?? "unreadable"
            }, until: { $0 != "building" })
            #expect(phase == "cancelled")
        }
    }

    @Test("tmux kill-session on a console release stops its builds, and the journal says they were stopped")
    func closedTerminal() async throws {
        try await withRegistries(1) { registries in
            let project = try DemoProject(registries: registries.map(\.host), platforms: Self.platforms, extra: ["builder": "buildx"])
            defer { project.remove() }
            let pidFile = project.directory.url.appendingPathComponent("builders.pid").path
            let gantry = [GantryBinary.url.path, "release", "1.0.0", "--config", project.configPath, "--state-dir", project.stateDirectory]
                .map { "'\($0)'" }.joined(separator: " ")
            // As a user runs it: from an interactive shell, which passes the hangup on to its jobs,
            // so Gantry gets SIGHUP twice at once (from the kernel and from the shell).
            let session = try await TmuxSession(command: "bash --norc --noprofile -i", width: 120, height: 40, environment: Self.environment(pidFile: pidFile))
            defer { session.close() }
            try await session.send(gantry, literal: true)
            try await session.send("Enter")
            let groups = try await ProcessProbe.pids(in: pidFile, atLeast: Self.platforms.count)
            try await session.killSession()
            try await Self.expectBuildersGone(groups)
            let journal = try #require(project.journalFiles().first)
            let phase = try await poll("the journal to record the stopped builds", deadline: Patience.exit, observe: { () -> String in
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: journal)) as? [String: Any]
                return json?["phase"] as? String ?? "unreadable"
            }, until: { $0 != "building" })
            #expect(phase == "cancelled")
        }
    }
}
