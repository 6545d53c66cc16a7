import Foundation
import GantryEngine
import Testing
@testable import GantryTUI

/// The journal screen without registries: what the presenter makes of every kind of journal,
/// and the console's keys on the list and the detail pane.
@Suite(.timeLimit(.minutes(1))) struct JournalScreenTests {
    /// A console on the journal screen with the sample journals, the selection on row `row`.
    static func console(row: Int = 0) -> Console {
        var console = Console(theme: .monochrome)
        console.apply([.journal(SampleJournals.viewModel)], now: 0)
        for key in [Key.down, .down, .down, .enter] + Array(repeating: .down, count: row) { _ = console.handle(key) }
        return console
    }

    @Test("every journal is listed, newest first, with its kind, state, version, start time and full id; corrupt ones last")
    func presenterListsEveryJournal() throws {
        let entries = SampleJournals.viewModel.entries
        #expect(entries.map(\.kind) == ["publish", "rollback", "release", "build", "release", "promote", "release", ""])
        #expect(entries.map(\.state) == [.running, .verified, .failed, .built, .verified, .cancelled, .verified, .corrupt])
        #expect(entries[0].stateText == "running (pid 4242)")
        #expect(entries[2].stateText == "failed: linux/arm64: exit status 1: go: module lookup disabled")
        #expect(entries[7].stateText.hasPrefix("corrupt: is not JSON"))
        #expect(entries[4].version == "1.4.0" && entries[4].startedAt.hasSuffix("Z") && entries[4].id.hasPrefix("widget-1.4.0-"))
    }

    @Test("the rollback flow decides what may be rolled back: a verified release that moved tags, not a build, a rollback, a running or unreadable journal, nor a first release that only created tags")
    func rollbackRefusals() throws {
        let entries = SampleJournals.viewModel.entries
        #expect(entries[4].rollbackRefusal == nil)
        #expect(entries[0].rollbackRefusal?.contains("is running (pid 4242") == true)
        #expect(entries[1].rollbackRefusal?.contains("is a rollback itself") == true)
        #expect(entries[3].rollbackRefusal?.contains("published no tag") == true)
        #expect(entries[5].rollbackRefusal?.contains("published nothing (cancelled)") == true)
        #expect(entries[6].rollbackRefusal?.contains("only created tags") == true)
        #expect(entries[7].rollbackRefusal?.contains("is not JSON") == true)
    }

    @Test("b on a journal that cannot be rolled back says why and asks nothing; on one that can, it asks the engine for the rollback")
    func rollbackKey() {
        var refused = Self.console(row: 3)
        #expect(refused.handle(.char("b")) == [])
        #expect(refused.status?.contains("published no tag") == true)
        #expect(refused.bindings(of: .journal).first { $0.keys == [.char("b")] }?.disabledReason?.contains("published no tag") == true)
        var allowed = Self.console(row: 4)
        let id = SampleJournals.viewModel.entries[4].id
        #expect(allowed.handle(.char("b")) == [.rollback(id: id)])
        #expect(allowed.status == nil)
    }

    @Test("Enter opens the detail pane: platforms with digests, publications with index and tags, the history in order; it scrolls; Esc goes back")
    func detailPane() {
        var console = Self.console(row: 4)
        #expect(console.handle(.enter) == [])
        #expect(console.screen == .journalDetail)
        let size = GridSize(width: 120, height: 40)
        let text = console.render(size: size, now: 0).render()
        let entry = SampleJournals.viewModel.entries[4]
        #expect(text.contains("release \(entry.id)"))
        #expect(text.contains("linux/amd64  built  \(Sample.digest("1.4.0-linux-amd64"))"), "\(text)")
        #expect(text.contains("ghcr.io  verified  index \(Sample.digest("index-1.4.0"))"), "\(text)")
        #expect(text.contains("tags 1.4.0 1.4 1 latest (4/4 verified)"), "\(text)")
        let history = ["started by pid 4242", "linux/amd64 built", "linux/arm64 built", "ghcr.io verified", "127.0.0.1:5000 verified"]
        let positions = history.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == history.count && positions == positions.sorted(), "the history in order:\n\(text)")
        // Scrolled to the bottom, the first lines are gone and the last one shows on the last row of the pane.
        let small = GridSize(width: 60, height: 12)
        _ = console.render(size: small, now: 0)
        _ = console.handle(.char("G"))
        let bottom = console.render(size: small, now: 0).render()
        #expect(!bottom.contains("Image    acme/widget") && bottom.contains("127.0.0.1:5000 verified"), "\(bottom)")
        _ = console.handle(.char("g"))
        #expect(console.render(size: small, now: 0).render().contains("Image    acme/widget"))
        _ = console.handle(.escape)
        #expect(console.screen == .journal)
    }

    @Test("the selection follows its journal when the list refreshes with a new one on top")
    func selectionFollowsTheJournal() {
        var console = Self.console(row: 4)
        let id = SampleJournals.viewModel.entries[4].id
        var grown = SampleJournals.viewModel
        grown.entries.insert(JournalViewModel.Entry(id: "widget-1.4.0-rollback", kind: "rollback", state: .verified, stateText: "verified", version: "1.4.0", startedAt: ""), at: 0)
        console.apply([.journal(grown)], now: 1)
        #expect(console.handle(.char("b")) == [.rollback(id: id)])
    }

    @Test("one state folder holds several projects' journals: an Image column tells them apart and / filters by image")
    func imageColumnAndFilter() {
        var model = SampleJournals.viewModel
        model.entries[1].image = "ghcr.io/other/tool"
        var console = Console(theme: .monochrome)
        console.apply([.journal(model)], now: 0)
        for key in [Key.down, .down, .down, .enter] { _ = console.handle(key) }
        let list = console.render(size: GridSize(width: 160, height: 40), now: 0).render()
        #expect(list.contains("Image") && list.contains("acme/widget") && list.contains("ghcr.io/other/tool"), "\(list)")
        for key in [Key.char("/")] + "other/tool".map(Key.char) + [.enter] { _ = console.handle(key) }
        let filtered = console.render(size: GridSize(width: 160, height: 40), now: 0).render()
        #expect(filtered.contains("/other/tool · 1 of 8"), "\(filtered)")
    }

    @Test("/ filters the journals; Enter keeps the filter, and Enter then opens the first journal it leaves")
    func filterThenOpen() {
        var console = Self.console()
        for key in [Key.char("/")] + "promote".map(Key.char) + [.enter] { _ = console.handle(key) }
        let list = console.render(size: GridSize(width: 160, height: 40), now: 0).render()
        #expect(list.contains("/promote · 1 of 8"), "\(list)")
        _ = console.handle(.enter)
        #expect(console.screen == .journalDetail)
        let promote = SampleJournals.viewModel.entries[5]
        #expect(console.render(size: GridSize(width: 160, height: 40), now: 0).render().contains(promote.id))
    }
}
