import Foundation

/// Measures of this process shared by the benchmarks.
enum Measure {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User plus system CPU time of this process.
    static func cpuSeconds() -> Double { seconds(of: RUSAGE_SELF) }

    /// User plus system CPU time of the child processes that ended and were waited for.
    static func childrenCPUSeconds() -> Double { seconds(of: RUSAGE_CHILDREN) }

    private static func seconds(of who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// `VmHWM` from /proc/self/status: the peak resident set size, in KiB.
    static func peakResidentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Starts `peakResidentKiB` afresh from the current RSS (Linux: "5" to clear_refs), so a
    /// benchmark's setup does not count.
    static func resetPeakResident() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    static func mebibytes(kiB: Int) -> String { String(format: "%.1f MiB", Double(kiB) / 1024) }
}

/// The value of option `name` (`--seconds 30`) among a benchmark's arguments.
func argument(_ name: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

/// A benchmark that cannot run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
