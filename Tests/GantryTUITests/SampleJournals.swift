import Foundation
import GantryEngine
@testable import GantryTUI

/// Journals of every kind and state, in memory, for the journal screen's tests and goldens.
enum SampleJournals {
    static let state = StateDirectory(root: URL(fileURLWithPath: "/nonexistent/state"))
    static let registries = [RegistryTarget(host: "ghcr.io"), RegistryTarget(host: "127.0.0.1:5000")]
    static let tags = ["1.4.0", "1.4", "1", "latest"]
    static let amd64 = try! Platform.parse("linux/amd64"), arm64 = try! Platform.parse("linux/arm64")

    /// A journal of `kind` for `version`, started `minutes` after a fixed time.
    static func journal(_ kind: ReleaseJournal.Kind, _ version: String, minutes: Double, id suffix: String = "") -> ReleaseJournal {
        let at = Date(timeIntervalSince1970: 1_780_000_000 + minutes * 60)
        let id = try! ReleaseID("widget-\(version)-\(ReleaseID.timestamp(at))\(suffix)")
        var journal = ReleaseJournal(
            id: id, kind: kind, image: "acme/widget", version: try? SemanticVersion.parse(version), registries: registries,
            tags: tags, expectedPlatforms: [amd64, arm64], configPath: "/work/widget/gantry.yaml", now: at)
        journal.note("started by pid 4242", at: at)
        return journal
    }

    /// A release that built both platforms and published an index to both registries, moving `latest`.
    static func verified(_ version: String, minutes: Double, previous: String?) -> ReleaseJournal {
        var j = journal(.release, version, minutes: minutes)
        for p in [amd64, arm64] {
            j[platform: p] = .init(platform: p, state: .built, result: BuildResult(platform: p, manifestDigest: Sample.digest("\(version)-\(p.slug)")))
            j.note("\(p) built: \(Digest.short(Sample.digest("\(version)-\(p.slug)")))", at: j.createdAt.addingTimeInterval(30))
        }
        j.before = registries.flatMap { r in tags.map { ReleaseJournal.TagSnapshot(registry: r.host, tag: $0, digest: $0 == version ? nil : previous) } }
        for r in registries {
            j[registry: r.host] = .init(
                registry: r.host, state: .verified, indexDigest: Sample.digest("index-\(version)"),
                verification: tags.map { TagVerification(registry: r.host, tag: $0, digest: Sample.digest("index-\(version)"), platforms: [amd64, arm64], problems: []) })
            j.note("\(r.host) verified: \(tags.count) tags", at: j.createdAt.addingTimeInterval(60))
        }
        j.phase = .verified
        return j
    }

    /// One journal of each kind and state, newest first once listed.
    static var listings: [JournalListing] {
        let first = verified("1.3.0", minutes: 0, previous: nil)
        let second = verified("1.4.0", minutes: 60, previous: Sample.digest("index-1.3.0"))
        var build = journal(.build, "1.5.0-rc.1", minutes: 120)
        for p in [amd64, arm64] { build[platform: p] = .init(platform: p, state: .built, result: BuildResult(platform: p, manifestDigest: Sample.digest(p.slug))) }
        build.phase = .built
        var failed = journal(.release, "1.5.0", minutes: 180)
        failed[platform: arm64] = .init(platform: arm64, state: .failed, error: RecordedError(kind: "build.failed", message: "exit status 1: go: module lookup disabled\nRUN go build"))
        failed.note("linux/arm64 failed", at: failed.createdAt.addingTimeInterval(90))
        failed.phase = .failed
        var rollback = journal(.rollback, "1.4.0", minutes: 200, id: "-rollback")
        rollback.rollbackOf = second.id
        rollback.phase = .verified
        var running = journal(.publish, "1.4.1", minutes: 240)
        running.phase = .publishing
        var promote = journal(.promote, "1.3.0", minutes: 30)
        promote.phase = .cancelled
        let entries: [(ReleaseJournal, FileLock.Holder?)] = [
            (running, FileLock.Holder(pid: 4242, since: running.createdAt, purpose: "publish")), (rollback, nil), (failed, nil), (build, nil),
            (second, nil), (promote, nil), (first, nil),
        ]
        return entries.map { JournalListing(folder: state.release($0.0.id), journal: .success($0.0), runner: $0.1) }
            + [JournalListing(folder: state.release(try! ReleaseID("widget-broken")), journal: .failure(JournalError(path: "/state/releases/widget-broken/journal.json", reason: "is not JSON (corrupt or truncated); it is left as it is")))]
    }

    static var viewModel: JournalViewModel { JournalPresenter.viewModel(listings: listings) }

    /// What the rollback of 1.4.0 previews: latest, 1.4 and 1 go back to 1.3.0; 1.4.0 was created and stays.
    static var rollbackPreview: PendingTagsViewModel {
        var rows: [PendingTagRow] = []
        for r in registries.map(\.host) {
            for tag in ["1.4", "1", "latest"] {
                rows.append(PendingTagRow(registry: r, tag: tag, currentDigest: Sample.digest("index-1.4.0"), newDigest: Sample.digest("index-1.3.0"),
                                          currentVersion: "1.4.0", newVersion: "1.3.0", change: .move))
            }
        }
        rows[2].change = .held
        rows[2].warnings = [.other("latest points to 9f2c4e1a7b3d, not the release's index; left alone")]
        return PendingTagsViewModel(
            version: "1.4.0", rows: rows, requiresTypedVersion: false, purpose: .rollback,
            notes: ["created by widget-1.4.0-20260528T200000Z and kept (a rollback deletes no tag): ghcr.io/acme/widget:1.4.0, 127.0.0.1:5000/acme/widget:1.4.0"])
    }
}
