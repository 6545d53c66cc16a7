import Foundation
import GantryEngine
import Testing

/// A release that wrote some registries and not others is found, named with what is missing,
/// and offered to be finished before any new version of its image.
@Suite struct HalfPublishedReleaseTests {
    let a = "a.example", b = "b.example"

    func journal(_ version: String, image: String = "acme/app", at seconds: Double, _ states: [ReleaseJournal.RegistryPublication.State]) throws -> JournalListing {
        let v = try SemanticVersion.parse(version)
        var journal = ReleaseJournal(
            id: ReleaseID.make(image: image, version: v), kind: .release, image: image, version: v,
            registries: [RegistryTarget(host: a), RegistryTarget(host: b)], tags: [version], expectedPlatforms: [],
            now: Date(timeIntervalSince1970: seconds))
        journal.id = try ReleaseID("app-\(version)-\(Int(seconds))")
        journal.phase = states.allSatisfy { $0 == .verified } ? .verified : .failed
        for (i, state) in states.enumerated() { journal.publications[i].state = state }
        return JournalListing(folder: StateDirectory(root: URL(fileURLWithPath: "/nonexistent")).release(journal.id), journal: .success(journal))
    }

    @Test func theNewestReleaseThatWroteSomeRegistriesIsHalfPublished() throws {
        let listings = [
            try journal("1.0.0", at: 1, [.verified, .pending]),
            try journal("1.1.0", at: 2, [.verified, .failed]),
            try journal("1.2.0", at: 3, [.pending, .pending]),  // failed before publishing: no tag moved
            try journal("2.0.0", image: "acme/other", at: 4, [.verified, .pending]),
        ]
        let half = try #require(HalfPublishedRelease.newest(of: "acme/app", in: listings))
        #expect(half.version == (try SemanticVersion.parse("1.1.0")))
        #expect(half.verified == [a] && half.unwritten == [b] && half.unverified.isEmpty)
        #expect(half.description == "1.1.0 is half-published (b.example not written)")
    }

    @Test func aReleaseVerifiedSinceSupersedesTheHalfPublishedOne() throws {
        let listings = [try journal("1.1.0", at: 2, [.verified, .failed]), try journal("1.1.0", at: 3, [.verified, .verified])]
        #expect(HalfPublishedRelease.newest(of: "acme/app", in: listings) == nil)
    }

    @Test func finishingTheHalfPublishedReleaseIsSuggestedBeforeTheNextPatchOverIt() throws {
        let half = try #require(HalfPublishedRelease.newest(of: "acme/app", in: [try journal("1.1.0", at: 2, [.verified, .pending])]))
        let suggestions = VersionSuggestions.after(try SemanticVersion.parse("1.1.0"), halfPublished: half)
        #expect(suggestions.first == .finish(half))
        #expect(suggestions.dropFirst().map(\.version.description) == ["1.1.1", "1.2.0", "2.0.0", "1.2.0-rc.1"])
        #expect(VersionSuggestions.after(try SemanticVersion.parse("1.1.0"), halfPublished: nil).first == .release(try SemanticVersion.parse("1.1.1")))
    }
}
