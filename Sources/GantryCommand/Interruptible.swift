import Dispatch
import Foundation
import Synchronization

/// Runs work that SIGINT, SIGTERM and SIGHUP cancel (a closed terminal is an interrupt too):
/// builds get SIGTERM, then SIGKILL; a question being asked is declined; publishing finishes
/// the registry writes in flight, journals, and stops. The signal dispositions are restored
/// afterwards, so Ctrl-C keeps working outside the work.
enum Interruptible {
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// The work's result and the signal that interrupted it, if one did.
    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> (value: T, signal: Int32?) {
        let task = Task { try await work() }
        let received = Mutex<Int32?>(nil)
        var previous: [Int32: sighandler_t?] = [:]
        let sources = signals.map { number -> DispatchSourceSignal in
            previous[number] = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler {
                received.withLock { $0 = $0 ?? number }
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for (number, handler) in previous { signal(number, handler) }
        }
        do {
            let value = try await task.value
            return (value, received.withLock { $0 })
        } catch {
            if let number = received.withLock({ $0 }) { throw InterruptedError(signal: number, underlying: error) }
            throw error
        }
    }
}

/// Work that stopped because of a signal.
struct InterruptedError: Error, CustomStringConvertible {
    var signal: Int32
    var underlying: any Error
    var description: String { "interrupted (signal \(signal)): \(underlying)" }
}
