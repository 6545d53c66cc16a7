#if GANTRY_CRASH_POINTS
import Foundation
import Synchronization

/// A named point where a test can make Gantry die at once, as `kill -9` would, to check
/// that every crash leaves a journal a resume can finish (the fault matrix). Compiled only
/// into debug builds (what `swift build --build-tests` makes; Package.swift defines
/// GANTRY_CRASH_POINTS there), never into a release build. Off unless
/// `GANTRY_CRASH_AFTER_JOURNAL_WRITES=N` is set: then the process `_exit`s right after its
/// Nth journal write.
enum CrashPoint {
    private static let limit = ProcessInfo.processInfo.environment["GANTRY_CRASH_AFTER_JOURNAL_WRITES"].flatMap(Int.init)
    private static let writes = Mutex(0)

    /// Called after each journal write.
    static func journalWritten() {
        guard let limit else { return }
        let count = writes.withLock { $0 += 1; return $0 }
        if count >= limit { _exit(137) }
    }
}
#endif
