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
            print("faults     \(outcome.summary) in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
            print("faults     not whole after resume: \(outcome.failures.count) (target 0); partial indexes seen: \(outcome.partialIndexes.count) (target 0)")
            for failure in outcome.failures.prefix(10) { print("  \(failure)") }
        }
    }
}
