import Foundation

/// One setting scales every wait of the suite: `GANTRY_TEST_PATIENCE` (a factor, default 1).
///
/// A deadline here means "something is wrong", not "the machine is slow": waits on a
/// condition poll until it holds, for as long as a test may run, so a fast machine is as fast
/// as the condition and a slow one only slower. Speed is measured by `gantry-bench`, never here.
public enum Patience {
    /// The factor from the environment (a bad value is said once and read as 1).
    public static let factor: Double = {
        guard let text = ProcessInfo.processInfo.environment["GANTRY_TEST_PATIENCE"] else { return 1 }
        guard let value = Double(text), value > 0, value.isFinite else {
            FileHandle.standardError.write(Data("GANTRY_TEST_PATIENCE=\(text) is not a positive number; using 1\n".utf8))
            return 1
        }
        return value
    }()

    /// `duration` times the factor.
    public static func scaled(_ duration: Duration) -> Duration { duration * factor }

    /// How long one test may run once it holds a slot of the process gate.
    public static var testLimit: Duration { scaled(.seconds(300)) }

    /// How long one wait on a condition polls: less than a test's limit, so that the wait's
    /// own message (what it waited for, what it saw) is the one reported.
    public static var wait: Duration { scaled(.seconds(240)) }

    /// How long a stopped process may take to exit once signalled (SIGTERM, then SIGKILL).
    public static var exit: Duration { scaled(.seconds(10)) }
}
