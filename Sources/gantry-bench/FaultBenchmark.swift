import Foundation
import GantryTestSupport

/// `gantry-bench faults`: the publish fault matrix of the test suite, larger: three
/// registries and three platforms (every request × 500, 429, reset, stall), with a resume
/// after each trial. Figures beside their targets.
enum FaultBenchmark {
    static func run() async throws {
        try await withRegistries(3) { registries in
            let clock = ContinuousClock()
            var outcome: PublishFaultMatrix.Outcome?
            let elapsed = try await clock.measure {
                outcome = try await PublishFaultMatrix.run(registries: registries, platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"])
            }
            guard let outcome else { return }
            let detail = "\(outcome.summary) in " + String(format: "%.1f s", Measure.seconds(elapsed))
            Figure(benchmark: "faults", measure: "not whole after resume, 3 registries", value: "\(outcome.failures.count)", target: "0",
                   met: outcome.failures.isEmpty, detail: detail).print()
            Figure(benchmark: "faults", measure: "partial indexes seen", value: "\(outcome.partialIndexes.count)", target: "0",
                   met: outcome.partialIndexes.isEmpty, detail: "a watcher polling the registries throughout").print()
            for failure in outcome.failures.prefix(10) { print("  \(failure)") }
        }
    }
}
