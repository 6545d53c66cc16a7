import Foundation
import GantryTestSupport
import Testing

@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct TmuxSessionTests {
    @Test("a tmux session runs a command, shows its output, takes keys and is torn down")
    func roundTrip() async throws {
        let session = try await TmuxSession(command: "sh -c 'printf hello; read -r line; echo \"got:$line\"; sleep 30'", width: 60, height: 10)
        defer { session.close() }
        let screen = try await session.waitFor("hello")
        #expect(screen.split(separator: "\n").count <= 10)
        try await session.send("world", literal: true)
        try await session.send("Enter")
        try await session.waitFor("got:world")
        try await session.resize(width: 40, height: 8)
        try await session.waitUntil("8 rows") { $0.split(separator: "\n", omittingEmptySubsequences: false).count <= 9 }
        let pid = try #require(try await session.panePID())
        #expect(kill(pid, 0) == 0)
        session.close()
        try await poll("the program in the pane (pid \(pid)) to end with the session") { kill(pid, 0) != 0 }
    }

    @Test("waiting for text that never comes fails with the screen in the message")
    func deadline() async throws {
        let session = try await TmuxSession(command: "sh -c 'printf ready; sleep 30'")
        defer { session.close() }
        try await session.waitFor("ready")
        await #expect(throws: TestSupportError.self) { try await session.waitFor("never", deadline: .milliseconds(300)) }
    }
}
