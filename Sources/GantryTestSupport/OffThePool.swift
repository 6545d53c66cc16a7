import Foundation

/// Runs blocking work (a child process waited for, a polling loop) on a thread of its own
/// and awaits it: the concurrency pool has one thread per core (two here), and tests that
/// block them starve every other test's tasks.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
