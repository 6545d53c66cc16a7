import GantryEngine
import Testing
@testable import GantryTUI

/// The pending tags after publishing are derived from the read-back, not remembered as they
/// were before: each written tag says what the registry returned for it.
@Suite struct PendingTagsReadBackTests {
    static func screen(_ publish: PublishViewModel) -> String {
        var console = Console(theme: .monochrome)
        console.apply([.pendingTags(Sample.pendingTags), .publish(publish), .show(.pendingTags)], now: 100)
        return console.render(size: GridSize(width: 120, height: 30), now: 100).render()
    }

    static func row(_ screen: String, _ registry: String, _ tag: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.contains(" \(registry) ") && $0.split(separator: " ").dropFirst().first.map(String.init) == tag } ?? ""
    }

    @Test func beforePublishingEachRowSaysTheChangeItWillMake() {
        let screen = Self.screen(PublishViewModel(registries: [], verifications: []))
        #expect(Self.row(screen, "ghcr.io", "latest").contains("→ move"), "\(screen)")
        #expect(!screen.contains("published"), "\(screen)")
    }

    @Test func afterPublishingEachWrittenTagSaysWhatItsReadBackFound() {
        let screen = Self.screen(Sample.publish)
        #expect(Self.row(screen, "ghcr.io", "1.4.0").contains("✓ published"), "\(screen)")
        #expect(Self.row(screen, "ghcr.io", "latest").contains("✓ published"), "\(screen)")
        #expect(Self.row(screen, "docker.io", "latest").contains("✗ not as sent"), "\(screen)")
        #expect(Self.row(screen, "127.0.0.1:5000", "1.4.0").contains("✗ not as sent"), "\(screen)")
        // Not read back yet: still the change it makes.
        #expect(Self.row(screen, "docker.io", "1.4").contains("→ move"), "\(screen)")
        #expect(screen.contains("✓ 3 of \(Sample.pendingTags.rows.count) published"), "\(screen)")
    }

    @Test func aReadBackOfAnotherDigestIsNotThisRowsPublication() {
        // A tag move in the same Home console read latest back at another digest: a rollback
        // preview pointing latest elsewhere is not "published" by it.
        let other = PublishViewModel(registries: [], verifications: [
            .init(registry: "ghcr.io", tag: "latest", expectedDigest: Sample.digest("index-0.9.0"), result: .verified),
        ])
        let screen = Self.screen(other)
        #expect(Self.row(screen, "ghcr.io", "latest").contains("→ move") && !screen.contains("published"), "\(screen)")
    }

    @Test func theDigestsViewShowsTheIndexConfirmedBeforeAnyRegistryHoldsIt() {
        var journal = SampleJournals.verified("1.4.0", minutes: 10, previous: nil)
        for i in journal.publications.indices { journal.publications[i] = .init(registry: journal.publications[i].registry) }
        journal.index = JournaledIndex(digest: Sample.digest("composed-1.4.0"))
        #expect(ReleasePresenter.digestsViewModel(journal: journal).indexDigest == Sample.digest("composed-1.4.0"))
    }
}
