import Foundation
import GantryTestSupport
import Testing

/// What keeps a stuck test from hanging the run: bounded tool runs and the watchdog of
/// `scripts/test.sh`, which names a hung test and stops it.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct TestHarnessTests {
    @Test("a tool that never exits is stopped at its deadline with SIGTERM, and the error names it with what it printed")
    func aToolPastItsDeadlineIsStopped() async throws {
        try await withTemporaryDirectory(prefix: "gantry-hang") { dir in
            // The trap runs only if SIGTERM reaches the tool: spawned with the pool thread's
            // signal mask, it was blocked, and only the SIGKILL 10 s later ended the tool.
            let script = "trap 'echo terminated > \(dir.path)/term; exit 143' TERM; echo waiting forever; while :; do sleep 0.1; done"
            let error = await #expect(throws: TestSupportError.self) {
                try await runToolToEnd("sh", ["-c", script], deadline: .seconds(1))
            }
            #expect(error?.description.contains("sh -c") == true && error?.description.contains("waiting forever") == true, "\(String(describing: error))")
            #expect(FileManager.default.fileExists(atPath: dir.path + "/term"), "the tool never saw SIGTERM")
        }
    }

    @Test("the watchdog names the test still running past the run's limit, stops the run and exits non-zero with the summary line")
    func theWatchdogNamesAHungTest() async throws {
        try await withTemporaryDirectory(prefix: "gantry-watchdog-test") { dir in
            let pidFile = dir.path + "/stand-in.pid"
            let standIn = StubDocker.binDirectory.appendingPathComponent("swift-test-stand-in").path
            let result = try await runToolToEnd("python3", [GantryBinary.repositoryRoot().appendingPathComponent("scripts/watchdog.py").path], environment: [
                "GANTRY_TEST_COMMAND": standIn, "GANTRY_TEST_RUN_LIMIT": "3", "GANTRY_TEST_PATIENCE": "1", "STAND_IN_PIDFILE": pidFile,
            ])
            #expect(result.status == 1)
            #expect(result.stderr.contains("watchdog: the run passed its limit of 3 s; 1 test(s) still running:"), "\(result.stderr)")
            #expect(result.stderr.contains("hangs() (StandIn/HangTests.swift:9), started"), "\(result.stderr)")
            #expect(!result.stderr.contains("finishes()"), "a test that ended is not listed: \(result.stderr)")
            let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("tests: 1 passed, 1 failed in ") && last.contains("s wall, peak load "), "\(result.stdout)")
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
            #expect(kill(pid, 0) != 0, "the stand-in (pid \(pid)) was stopped")
        }
    }
}
