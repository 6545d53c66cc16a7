import Foundation
import GantryEngine
import Testing

/// Which journals are offered for resume, and the note beside each: read from what the
/// journals recorded, superseding decided among them.
@Suite struct JournalStandingTests {
    let day = Date(timeIntervalSince1970: 1_800_000_000)

    func journal(
        _ id: String, _ version: String?, _ phase: ReleaseJournal.Phase, kind: ReleaseJournal.Kind = .release,
        image: String = "acme/app", unconfirmed: ReleaseJournal.Unconfirmed? = nil, minute: Double
    ) throws -> JournalSummary {
        JournalSummary(
            id: try ReleaseID(id), kind: kind, image: image, version: try version.map { try SemanticVersion.parse($0) }, phase: phase,
            createdAt: day + minute * 60, updatedAt: day + minute * 60, unconfirmed: unconfirmed)
    }

    @Test("finished, declined, quit before confirming, superseded (either order, same image only), dismissed, unfinished; only unfinished is offered")
    func standings() throws {
        let journals = [
            try journal("r-verified-120", "1.2.0", .verified, minute: 2),
            try journal("r-failed-120-before", "1.2.0", .failed, minute: 1),
            try journal("r-failed-120-after", "1.2.0", .publishing, minute: 3),
            try journal("r-other-image-120", "1.2.0", .failed, image: "acme/other", minute: 4),
            try journal("r-declined", "1.3.0", .cancelled, unconfirmed: .declined, minute: 5),
            try journal("r-cancelled", "1.3.1", .cancelled, minute: 6),
            try journal("r-left", "1.4.0", .built, unconfirmed: .left, minute: 7),
            try journal("r-dismissed", "1.5.0", .abandoned, minute: 8),
            try journal("r-built", "1.6.0", .built, kind: .build, minute: 9),
            try journal("r-rollback", "1.2.0", .publishing, kind: .rollback, minute: 10),
            try journal("r-interrupted", "1.6.0", .building, minute: 11),
        ]
        let standings = JournalStanding.of(journals)
        let verified = try ReleaseID("r-verified-120")
        let expected: [String: JournalStanding] = [
            "r-verified-120": .finished,
            "r-failed-120-before": .superseded(by: verified),
            "r-failed-120-after": .superseded(by: verified),
            "r-other-image-120": .unfinished,
            "r-declined": .declined,
            "r-cancelled": .cancelled,
            "r-left": .quitBeforeConfirming,
            "r-dismissed": .dismissed,
            "r-built": .finished,
            "r-rollback": .interruptedRollback,
            "r-interrupted": .unfinished,
        ]
        for (id, standing) in expected {
            #expect(standings[try ReleaseID(id)] == standing, "\(id)")
        }
        #expect(Set(standings.filter(\.value.offeredForResume).keys.map(\.rawValue)) == ["r-other-image-120", "r-interrupted"])
        #expect(standings[try ReleaseID("r-failed-120-after")]?.note == "superseded by r-verified-120")
        #expect(standings[try ReleaseID("r-left")]?.note == "quit before confirming")
    }

    @Test("a journal written before `unconfirmed` was recorded still decodes, its standing from its phase")
    func oldJournalDecodes() throws {
        let old = """
            {"format": "gantry.release-journal/v1", "id": "r-old", "kind": "release", "image": "acme/app", "version": "1.0.0",
             "phase": "built", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}
            """
        let summary = try JournalSummary.decode(Data(old.utf8), path: "old/journal.json")
        #expect(summary.unconfirmed == nil)
        #expect(JournalStanding.of([summary])[summary.id] == .unfinished)
    }
}
