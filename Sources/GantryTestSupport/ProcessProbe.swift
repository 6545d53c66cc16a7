import Foundation

/// Reads pid files written by fixtures and waits for what they announce.
public enum ProcessProbe {
    /// Waits (polling, with a deadline) until `file` lists at least `count` pids, and returns them.
    public static func pids(in file: String, atLeast count: Int, deadline: Duration = .seconds(30)) async throws -> [Int32] {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while clock.now < end {
            let pids = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
            if pids.count >= count { return pids }
            try await Task.sleep(for: .milliseconds(20))  // poll interval, bounded by the deadline
        }
        throw TestSupportError("\(file) did not list \(count) pids within \(deadline)")
    }
}
