import Foundation
import GantryEngine
import Testing
@testable import GantryTUI

/// Home while the image has a half-published release: it offers to finish it, and a new
/// release of another version asks first (Enter starts it anyway, r opens Recover, Esc goes back).
@Suite struct HalfPublishedHomeTests {
    /// 1.1.0 verified in ghcr.io, never written to 127.0.0.1:5000.
    static var halfPublished: HalfPublishedRelease {
        var journal = SampleJournals.verified("1.1.0", minutes: 10, previous: nil)
        journal[registry: "127.0.0.1:5000"] = .init(registry: "127.0.0.1:5000")
        journal.phase = .failed
        let listing = JournalListing(folder: SampleJournals.state.release(journal.id), journal: .success(journal))
        return HalfPublishedRelease.newest(of: "acme/widget", in: [listing])!
    }

    /// Home as the driver shows it after reading 1.1.0 as the newest tag.
    static func console() -> Console {
        let half = halfPublished
        let suggestions = VersionSuggestions.after(try! SemanticVersion.parse("1.1.0"), halfPublished: half).map(\.version.description)
        var console = Console(theme: .monochrome)
        console.apply([.home(HomeViewModel(
            configPath: "gantry.yaml", image: "acme/widget", nextVersion: suggestions.first, unfinishedReleases: 1, suggestions: suggestions,
            suggestionSource: "after 1.1.0, the newest in ghcr.io", halfPublished: HomeViewModel.HalfPublished(half)))], now: 100)
        return console
    }

    static func text(_ console: inout Console) -> String { console.render(size: GridSize(width: 100, height: 30), now: 100).render() }

    @Test func homeOffersToFinishTheHalfPublishedReleaseNotToReleaseOverIt() {
        var console = Self.console()
        let home = Self.text(&console)
        #expect(home.contains("Finish 1.1.0") && !home.contains("Release 1.1.1"), "\(home)")
        #expect(console.handle(.enter).isEmpty)
        // The first suggestion resumes the half-published journal.
        #expect(console.handle(.enter) == [.resume(id: Self.halfPublished.id.rawValue)])
    }

    @Test func anotherVersionAsksFirstEnterStartsItAnywayROpensRecoverEscGoesBack() {
        var console = Self.console()
        _ = console.handle(.enter)
        _ = console.handle(.down)
        #expect(console.handle(.enter).isEmpty, "a new release over a half-published one asks first")
        let dialog = Self.text(&console)
        #expect(dialog.contains("1.1.0 is half-published (127.0.0.1:5000 not written)"), "\(dialog)")
        #expect(dialog.contains("Enter start 1.1.1 anyway · r Recover · Esc back"), "\(dialog)")
        #expect(console.handle(.escape).isEmpty && console.screen == .newRelease && !Self.text(&console).contains("anyway"))
        _ = console.handle(.enter)
        #expect(console.handle(.enter) == [.startRelease(version: "1.1.1")])
        _ = console.handle(.enter)
        #expect(console.handle(.char("r")).isEmpty && console.screen == .recover)
    }
}
