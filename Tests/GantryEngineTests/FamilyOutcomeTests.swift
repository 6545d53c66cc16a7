@testable import GantryEngine
import Testing

/// What a family release that did not finish offers next: `gantry resume ID` only when every
/// image has a journal to resume from.
@Suite struct FamilyOutcomeTests {
    static let id = try! ReleaseID("app-family-1.0.0-20261204T000000Z")
    static let stopped = RecordedError(kind: "flow.preflight", message: "nothing was built: the checks before building failed")

    @Test func aMemberStoppedBeforeItsJournalOffersNoResume() {
        let outcome = FamilyOutcome(id: Self.id, members: [
            .init(name: "acme/app", outcome: nil, error: Self.stopped), .init(name: "acme/worker", outcome: nil, error: Self.stopped),
        ], journaled: ["acme/app"])
        #expect(outcome.next == nil)
    }

    @Test func everyMemberJournaledOffersTheFamilysResume() {
        let outcome = FamilyOutcome(id: Self.id, members: [
            .init(name: "acme/app", outcome: nil, error: Self.stopped), .init(name: "acme/worker", outcome: nil, error: Self.stopped),
        ], journaled: ["acme/app", "acme/worker"])
        #expect(outcome.next == "gantry resume \(Self.id)")
    }
}
