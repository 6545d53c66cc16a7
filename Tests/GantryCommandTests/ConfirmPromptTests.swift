import Foundation
import Synchronization
import Testing
@testable import GantryCommand

/// The plain mode's question waits for the user without holding a thread of the concurrency pool.
@Suite(.timeLimit(.minutes(1))) struct ConfirmPromptTests {
    @Test("questions waiting for input leave the concurrency pool free: many tasks finish meanwhile; each is answered once a line arrives")
    func waitingHoldsNoPoolThread() async throws {
        // More questions than the pool has threads: polling on them would take every one.
        let pipes = (0..<(ProcessInfo.processInfo.activeProcessorCount + 2)).map { _ in Pipe() }
        let questions = pipes.map { pipe in
            Task { await ConfirmPrompt.ask("Publish these tags?", input: InputLines(descriptor: pipe.fileHandleForReading.fileDescriptor)) }
        }
        // Answers every question once, the test's answers or, after a while, the watchdog's
        // "n" (off the pool: it must free a pool that polling holds).
        let answered = Mutex(false)
        let answer = { @Sendable (lines: [String]) -> Bool in
            answered.withLock { done in
                guard !done else { return false }
                done = true
                for (pipe, line) in zip(pipes, lines) {
                    pipe.fileHandleForWriting.write(Data(line.utf8))
                    try? pipe.fileHandleForWriting.close()
                }
                return true
            }
        }
        // Its delay is a deadline, not a measure: long enough that on a loaded machine (two busy
        // loops beside the suite on 2 cores) the 1,000 tasks below finish first, short of the
        // suite's time limit. 5 s was not: under load 12 the tasks took longer and the watchdog won.
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: 30)
            _ = answer(Array(repeating: "n\n", count: pipes.count))
        }
        watchdog.start()
        try await Task.sleep(for: .milliseconds(200))  // the questions are asked meanwhile
        let finished = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<1000 { group.addTask { await Task.yield(); return 1 } }
            return await group.reduce(0, +)
        }
        #expect(finished == 1000)
        // The first says yes, another has no line but its input closes (no), the rest say no.
        let ours = answer(["yes\n", ""] + Array(repeating: "n\n", count: pipes.count - 2))
        #expect(ours, "the tasks finished only once the watchdog answered the questions: they held the pool")
        var answers: [Bool] = []
        for question in questions { answers.append(await question.value) }
        if ours { #expect(answers == [true] + Array(repeating: false, count: pipes.count - 1)) }
    }

    @Test("a closed standard input answers no, as the end of input does")
    func closedInputAnswersNo() async throws {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.close()
        #expect(await ConfirmPrompt.ask("Publish these tags?", input: InputLines(descriptor: pipe.fileHandleForReading.fileDescriptor)) == false)
        let typed = Pipe()
        typed.fileHandleForWriting.write(Data("  1.2.0  ".utf8))  // no newline: the input ends there
        try typed.fileHandleForWriting.close()
        #expect(await ConfirmPrompt.read("Type 1.2.0: ", input: InputLines(descriptor: typed.fileHandleForReading.fileDescriptor)) == "1.2.0")
    }
}
