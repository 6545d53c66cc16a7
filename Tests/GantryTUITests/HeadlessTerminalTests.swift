import Glibc
import Testing
import GantryTestSupport
@testable import GantryTUI

/// A script that no longer matches the console ends it: the suite fails, it never hangs.
@Suite(.timeLimit(.minutes(1))) struct HeadlessTerminalTests {
    @Test("a played-out script hangs up after its grace: the console ends as on SIGHUP, not never")
    func playedOutScriptHangsUp() async throws {
        // The script moves down once and never quits: the console would wait for a key forever.
        let terminal = HeadlessTerminal(size: GridSize(width: 80, height: 24), script: [.input(.key(.down))], hangUpAfterScript: .milliseconds(300))
        let (outcome, _) = try await ConsoleLoop().run(Console(theme: .color), terminal: terminal, inbox: ConsoleInbox()) { _ in }
        #expect(outcome == .interrupted(signal: SIGHUP))
        #expect(await terminal.isStopped)
    }

    @Test("a cancelled caller ends the console as SIGTERM does, whatever the script still holds")
    func cancellationEndsTheConsole() async throws {
        let terminal = HeadlessTerminal(size: GridSize(width: 80, height: 24), script: [.until(deadline: .seconds(3600)) { false }])
        let console = Task { try await ConsoleLoop().run(Console(theme: .color), terminal: terminal, inbox: ConsoleInbox()) { _ in }.0 }
        try await poll("the console drew its first frame") { await terminal.frames > 0 }
        console.cancel()
        #expect(try await console.value == .interrupted(signal: SIGTERM))
    }
}
