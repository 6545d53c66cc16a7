import Foundation

/// One measured figure beside its target. Every benchmark prints its results as these
/// rows, so a run of several benchmarks reads as one table.
struct Figure {
    var benchmark: String
    var measure: String
    var value: String
    var target: String
    /// Whether the target is met; nil for a figure printed beside another one's target.
    var met: Bool?
    var detail = ""

    static let header = Figure(benchmark: "BENCHMARK", measure: "MEASURE", value: "VALUE", target: "TARGET", met: nil, detail: "DETAIL")

    func print() {
        let verdict = self.benchmark == Self.header.benchmark ? "MET" : met.map { $0 ? "ok" : "MISSED" } ?? "-"
        let columns = [(benchmark, 13), (measure, 40), (value, 16), (target, 12), (verdict, 6)]
        Swift.print(columns.map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ") + " " + detail)
    }
}

/// Measures of this process shared by the benchmarks.
enum Measure {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User plus system CPU time of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `VmHWM` from /proc/self/status: the peak resident set size, in KiB.
    static func peakResidentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func mebibytes(kiB: Int) -> String { String(format: "%.1f MiB", Double(kiB) / 1024) }
}

/// A benchmark that cannot run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
