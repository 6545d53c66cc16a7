import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The publish path against every single fault (`PublishFaultMatrix`): each registry
/// request of a publish to two real registries gets, in turn, a 500, a 429 with
/// Retry-After, a reset connection and a stall past the client's timeout. After each, a
/// resume ends whole and no watcher poll ever sees a partial index. `gantry-bench faults`
/// runs a larger one.
@Suite(.startsProcesses, .serialized, .timeLimit(.minutes(10))) struct FaultMatrixTests {
    @Test("each registry request of the publish path faulted in turn: a resume always ends whole, no partial index is ever seen")
    func publishRequestFaults() async throws {
        try await withRegistries(2) { registries in
            let outcome = try await PublishFaultMatrix.run(registries: registries, platforms: ["linux/amd64", "linux/arm64"])
            print("fault matrix (publish path): \(outcome.summary)")
            #expect(outcome.trials > 0 && outcome.verifiedAtOnce + outcome.verifiedAfterResume == outcome.trials)
            #expect(outcome.failures.isEmpty, "\(outcome.failures.prefix(5))")
            #expect(outcome.partialIndexes.isEmpty, "\(outcome.partialIndexes.prefix(5))")
        }
    }
}
