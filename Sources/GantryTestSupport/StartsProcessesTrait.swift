import Foundation
import Testing

/// `@Suite(.startsProcesses)`: each test of the suite takes a slot of `ProcessGate.shared`
/// before it runs, and may run for `Patience.testLimit` once it holds it.
///
/// A test past its limit is reported (with its name and limit) and cancelled: every wait of
/// the test support ends on cancellation (polls sleep cancellably, tools are terminated). The
/// limit counts from the slot, not from the start of the queue before it, which Swift
/// Testing's own time limit counts too. A wait that ignores cancellation anyway is named and
/// stopped by `scripts/watchdog.py`.
///
/// When `GANTRY_TEST_ACTIVITY` names a file, each slot taken and returned is a line there,
/// which the watchdog reads to say which running tests held a slot.
public struct StartsProcessesTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> StartsProcessesTrait? {
        testCase == nil ? nil : self  // one slot per test case, none for the suite itself
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await ProcessGate.shared.acquire()
        Activity.record("acquired", test)
        defer {
            Activity.record("released", test)
            Task { await ProcessGate.shared.release() }
        }
        let limit = Patience.testLimit
        try await withoutActuallyEscaping(function) { function in
            // The group awaits both children before it returns, so `function` never outlives this call.
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await function(); return true }
                group.addTask { try await Task.sleep(for: limit); return false }
                let finished = try await group.next() ?? true
                group.cancelAll()
                if !finished {
                    Issue.record("\(test.name) still ran after its limit of \(limit) (GANTRY_TEST_PATIENCE scales it); cancelled",
                                 sourceLocation: test.sourceLocation)
                    // What the cancelled test throws now is a consequence of the limit, reported above.
                    _ = try? await group.next()
                }
            }
        }
    }
}

extension Trait where Self == StartsProcessesTrait {
    /// The suite's tests start processes: they pass the process gate and run under a limit.
    public static var startsProcesses: Self { StartsProcessesTrait() }
}

/// The slot log `scripts/watchdog.py` reads (one line per slot taken or returned).
private enum Activity {
    static let file: FileHandle? = ProcessInfo.processInfo.environment["GANTRY_TEST_ACTIVITY"].flatMap { path in
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        return descriptor < 0 ? nil : FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// One `write` per line on an O_APPEND descriptor: lines from parallel tests never mix.
    static func record(_ event: String, _ test: Test) {
        file?.write(Data("\(event) \(test.id)\n".utf8))
    }
}
