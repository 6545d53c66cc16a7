import Foundation
import GantryTestSupport
import Testing

@Suite struct TmuxSessionTests {
    @Test("a tmux session runs a command, shows its output, takes keys and is torn down")
    func roundTrip() async throws {
        let session = try TmuxSession(command: "sh -c 'printf hello; read -r line; echo \"got:$line\"; sleep 30'", width: 60, height: 10)
        defer { session.close() }
        let screen = try await session.waitFor("hello")
        #expect(screen.split(separator: "\n").count <= 10)
        try session.send("world", literal: true)
        try session.send("Enter")
        try await session.waitFor("got:world")
        try session.resize(width: 40, height: 8)
        try await session.waitUntil("8 rows") { $0.split(separator: "\n", omittingEmptySubsequences: false).count <= 9 }
        let pid = try #require(try session.panePID())
        #expect(kill(pid, 0) == 0)
        session.close()
        let clock = ContinuousClock(), end = clock.now.advanced(by: .seconds(5))
        while kill(pid, 0) == 0, clock.now < end { try await Task.sleep(for: .milliseconds(20)) }
        #expect(kill(pid, 0) != 0, "the program in the pane outlived the session")
    }

    @Test("waiting for text that never comes fails with the screen in the message")
    func deadline() async throws {
        let session = try TmuxSession(command: "sh -c 'printf ready; sleep 30'")
        defer { session.close() }
        try await session.waitFor("ready")
        await #expect(throws: TestSupportError.self) { try await session.waitFor("never", deadline: .milliseconds(300)) }
    }
}
