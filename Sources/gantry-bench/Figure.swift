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
