import Foundation
import GantryEngine
import GantryTestSupport
import Testing
@testable import GantryTUI

/// Home reads the journals again every 2 s: only those whose files changed are decoded again.
@Suite(.timeLimit(.minutes(1))) struct HomeJournalRefreshTests {
    @Test("refreshing Home's journals decodes none that is unchanged; a journal written since is read again and shown")
    func unchangedJournalsAreNotDecodedAgain() async throws {
        try await withTemporaryDirectory { dir in
            let state = StateDirectory(root: dir.url)
            let store = JournalStore(state: state)
            var written: [ReleaseJournal] = []
            for (i, version) in ["1.0.0", "1.1.0", "1.2.0"].enumerated() {
                var journal = SampleJournals.journal(.release, version, minutes: Double(i))
                journal.phase = .failed
                written.append(try store.create(journal))
            }
            let inbox = ConsoleInbox()
            let journals = JournalCache()
            try await RegistryClient.with(RegistryClientConfiguration(), credentials: .anonymous) { client in
                let driver = HomeConsoleDriver(
                    client: client, config: nil, configError: nil, listings: [], state: state, caBundle: nil,
                    configPath: dir.path + "/gantry.yaml", inbox: inbox, journals: journals)
                for _ in 0..<5 { await driver.refreshRecover() }
                #expect(journals.decodes == 3, "five refreshes of three unchanged journals")
                var changed = written[1]
                changed.phase = .verified
                try store.write(changed)
                _ = inbox.drain()
                await driver.refreshRecover()
                #expect(journals.decodes == 4, "only the journal written since is decoded again")
                let shown = inbox.drain().compactMap { if case .recover(let model) = $0 { model } else { nil } }.last
                #expect(shown?.releases.map(\.version).sorted() == ["1.0.0", "1.2.0"], "1.1.0 is verified now: \(String(describing: shown))")
            }
        }
    }
}
