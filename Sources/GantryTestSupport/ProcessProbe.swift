import Foundation

/// Reads pid files written by fixtures and waits for what they announce.
public enum ProcessProbe {
    /// Waits until `file` lists at least `count` pids, and returns them.
    public static func pids(in file: String, atLeast count: Int, deadline: Duration = Patience.wait) async throws -> [Int32] {
        try await poll("\(file) to list \(count) pids", deadline: deadline, observe: {
            // A missing file is "no pids yet": the fixture writes it when its first build starts.
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
        }, describe: { "pids \($0)" }, until: { $0.count >= count })
    }
}
