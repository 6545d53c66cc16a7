import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `ChildProcess`: line streaming, exit status, and teardown of the whole process group.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ProcessTests {
    @Test func streamsBothOutputsAsLinesAndReportsTheExitStatus() async throws {
        var lines: [OutputLine] = []
        let exit = try await ChildProcess("sh", ["-c", "printf 'one\\r\\ntwo\\n'; echo problem >&2; printf tail; exit 3"]).run { lines.append($0) }
        #expect(exit == .exited(3))
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["one", "two", "tail"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["problem"])
    }

    @Test func aMissingExecutableSaysItIsNotOnPath() async throws {
        await #expect(throws: ExecutableNotFound.self) {
            _ = try await ChildProcess("gantry-no-such-tool", []).run { _ in }
        }
    }

    @Test func backgroundChildrenLeftAtExitAreTornDown() async throws {
        var leader: Int32 = 0
        let exit = try await ChildProcess("sh", ["-c", "sleep 600 & echo $$"], gracePeriod: .seconds(2)).run { leader = Int32($0.text) ?? 0 }
        #expect(exit.succeeded)
        #expect(leader > 0)
        #expect(ProcessGroupReaper.livingMembers(of: leader).isEmpty)
    }

    @Test func cancellingKillsAGroupThatIgnoresSigterm() async throws {
        let pids = AsyncStream<Int32>.makeStream()
        let script = "trap '' TERM; (trap '' TERM; sleep 600) & echo $$; wait"
        let task = Task {
            try await ChildProcess("sh", ["-c", script], gracePeriod: .milliseconds(300)).run { line in
                if let pid = Int32(line.text) { pids.continuation.yield(pid) }
            }
        }
        var iterator = pids.stream.makeAsyncIterator()
        let leader = try #require(await iterator.next())
        #expect(!ProcessGroupReaper.livingMembers(of: leader).isEmpty)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ProcessGroupReaper.livingMembers(of: leader).isEmpty)
    }

    @Test func lineSplitterJoinsChunksAndCutsOverlongLines() {
        var splitter = LineSplitter(maxLineLength: 8)
        var lines: [String] = []
        for chunk in ["ab", "c\nde", "f\r\n0123456789", "\nlast"] {
            splitter.feed(Array(chunk.utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        splitter.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["abc", "def", "01234567", "89", "last"])
    }

    @Test func theExecutableIsFoundOnPath() throws {
        let dir = StubDocker.binDirectory.path
        #expect(try ExecutableLocator.find("docker", searchPath: "/nonexistent:\(dir)") == "\(dir)/docker")
        #expect(throws: ExecutableNotFound.self) { try ExecutableLocator.find("docker", searchPath: "/nonexistent") }
    }
}
