import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Journals that are not Gantry's, or are damaged, are refused and never overwritten.
@Suite(.timeLimit(.minutes(1))) struct PublishJournalTests {
    func journal(_ id: String) throws -> ReleaseJournal {
        ReleaseJournal(
            id: try ReleaseID(id), kind: .publish, image: "acme/app", version: try SemanticVersion.parse("1.2.3"),
            registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: ["1.2.3"], expectedPlatforms: [try Platform.parse("linux/amd64")])
    }

    @Test(arguments: [
        ("corrupt", #"{"format": "gantry.release-journal/v1", "id": "#, "is not JSON"),
        ("foreign", #"{"name": "someone else's file", "version": 3}"#, "is not a Gantry journal (no format marker"),
        ("damaged", #"{"format": "gantry.release-journal/v1", "id": 42}"#, "is damaged"),
    ])
    func aBadJournalGetsAClearErrorAndIsLeftByteForByte(name: String, content: String, reason: String) throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url))
            let id = try ReleaseID("app-1.2.3-\(name)")
            let file = store.state.release(id).journal
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let bytes = Data(content.utf8)
            try bytes.write(to: file)

            let loadError = #expect(throws: JournalError.self) { try store.load(id) }
            #expect(loadError?.path == file.path)
            #expect(loadError?.description.contains(reason) == true, "\(String(describing: loadError))")
            let writeError = #expect(throws: JournalError.self) { try store.write(try journal(id.rawValue)) }
            #expect(writeError?.description.contains(reason) == true)
            // A new journal never takes an existing folder: it gets an id of its own.
            #expect(try store.create(try journal(id.rawValue)).id.rawValue == id.rawValue + "-2")
            #expect(try Data(contentsOf: file) == bytes)
            // Listing reports it beside the good ones instead of failing.
            _ = try store.create(try journal("app-1.2.3-good"))
            let listed = try store.list()
            #expect(listed.count == 3)
            #expect(listed.contains { if case .failure(let e) = $0.journal { e.path == file.path } else { false } })
            // So does the list of summaries, with the same reason.
            let summaries = try store.summaries()
            #expect(summaries.count == 3)
            #expect(summaries.contains { if case .failure(let e) = $0.summary { e.path == file.path && e.description.contains(reason) } else { false } })
        }
    }

    @Test("a journal's summary is what its whole journal says, and its status reads the same")
    func summariesMatchTheJournals() throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url))
            for (i, phase) in ReleaseJournal.Phase.allCases.enumerated() {
                var journal = try journal("app-1.2.\(i)")
                journal.kind = i % 2 == 0 ? .release : .build
                journal.phase = phase
                journal.note("phase \(phase.rawValue)")
                _ = try store.create(journal)
            }
            let full = Dictionary(uniqueKeysWithValues: try store.list().map { ($0.folder.id, $0) })
            let summaries = try store.summaries()
            #expect(summaries.count == ReleaseJournal.Phase.allCases.count)
            for listing in summaries {
                let summary = try listing.summary.get()
                let journal = try #require(try full[listing.folder.id]?.journal.get())
                #expect(summary == JournalSummary(id: journal.id, kind: journal.kind, image: journal.image, version: journal.version,
                                                  phase: journal.phase, createdAt: journal.createdAt, updatedAt: journal.updatedAt))
                #expect(summary.isFinished == journal.isFinished)
                #expect(listing.status == full[listing.folder.id]?.status)
            }
        }
    }
}
