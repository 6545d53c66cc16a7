import Foundation
import GantryTestSupport

/// Runs the `gantry` built beside this benchmark as a child process and measures it as a
/// user would feel it: wall time from start to exit, and the child's own peak RSS (from
/// `wait4`, so no other process is counted).
struct MeasuredCommand {
    var status: Int32
    var seconds: Double
    var peakResidentKiB: Int
    var stdout: Data

    /// Whether the `gantry` measured is a debug build: allowed only with `GANTRY_BENCH_DEBUG=1`,
    /// for a quick figure, which a benchmark then labels as debug.
    static let isDebug = !GantryBinary.url.path.contains("/release/")

    /// Runs `gantry arguments`, its standard output to a file read afterwards, its stderr to ours.
    static func gantry(_ arguments: [String]) throws -> MeasuredCommand {
        let binary = GantryBinary.url.path
        let allowed = !isDebug || ProcessInfo.processInfo.environment["GANTRY_BENCH_DEBUG"] == "1"
        guard FileManager.default.isExecutableFile(atPath: binary), allowed else {
            throw BenchmarkError("no release build of gantry beside gantry-bench (\(binary)); run `swift run -c release gantry-bench` (or set GANTRY_BENCH_DEBUG=1 for a debug figure)")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-bench-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(binary): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchmarkError("wait4: \(String(cString: strerror(errno)))") }
        }
        let seconds = Measure.seconds(ContinuousClock.now - start)
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return MeasuredCommand(status: exit, seconds: seconds, peakResidentKiB: usage.ru_maxrss, stdout: (try? Data(contentsOf: output)) ?? Data())
    }
}
