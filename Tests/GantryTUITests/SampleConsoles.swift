import GantryEngine
@testable import GantryTUI

/// Realistic console states for the golden tests and the loop tests.
enum Sample {
    /// A digest-shaped value derived from `seed` (tests compare screens, never digests).
    static func digest(_ seed: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var hex = ""
        while hex.count < 64 {
            for b in (seed + String(hex.count)).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            hex += String(h, radix: 16).leftPadded(to: 16)
        }
        return "sha256:" + hex.prefix(64)
    }

    static let platforms: [Platform] = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x", "linux/riscv64"]
        .map { try! Platform.parse($0) }
    static let registries = ["ghcr.io", "docker.io", "127.0.0.1:5000"]

    static let header = ReleaseHeader(image: "ghcr.io/acme/widget", version: "1.4.0", registries: registries, builders: ["local", "arm-box"])

    static var home: HomeViewModel {
        HomeViewModel(configPath: "gantry.yaml", image: "ghcr.io/acme/widget", nextVersion: "1.4.0", unfinishedReleases: 1)
    }

    /// Six platforms in every state, mid-build, at console time 100 s.
    static var buildingEvents: [(Double, TUIEvent)] {
        var events: [(Double, TUIEvent)] = [(0, .release(ReleaseViewModel(header: header, rows: platforms.map {
            PlatformRow(platform: $0, builder: $0.architecture.hasPrefix("arm") ? "arm-box" : "local")
        })))]
        let p = platforms
        func at(_ t: Double, _ i: Int, _ e: TUIEvent.BuildProgress) { events.append((t, .platform(p[i], e))) }
        for i in 0..<5 { at(10, i, .started(builder: i == 1 || i == 2 ? "arm-box" : "local")) }
        for step in 1...9 { at(10 + Double(step), 0, .step(index: step, total: 9, name: "[\(step)/9] RUN make step\(step)")) }
        at(40, 0, .log("#12 DONE 2.1s"))
        at(50, 0, .pushing)
        at(60, 0, .finished(digest: digest("amd64"), cached: false))
        at(20, 1, .step(index: 4, total: 9, name: "[4/9] RUN go build ./cmd/widget"))
        for n in 1...30 { at(20 + Double(n), 1, .log("compiling package \(n)/30 \u{1B}[32mok\u{1B}[0m")) }
        at(30, 2, .step(index: 2, total: 9, name: "[2/9] COPY go.mod go.sum ./"))
        at(30, 3, .finished(digest: digest("ppc64le"), cached: true))
        at(35, 4, .step(index: 6, total: 9, name: "[6/9] RUN apk add --no-cache ca-certificates"))
        at(70, 4, .failed("exit status 1: unable to select packages: \u{1B}]8;;http://x\u{07}ca-certificates\u{1B}]8;;\u{07}"))
        return events
    }

    static var pendingTags: PendingTagsViewModel {
        let new = digest("index-1.4.0"), old = digest("index-1.3.2"), drifted = digest("index-1.3.1")
        var rows: [PendingTagRow] = []
        for r in registries {
            rows.append(PendingTagRow(registry: r, tag: "1.4.0", currentDigest: nil, newDigest: new, newVersion: "1.4.0", change: .new))
            rows.append(PendingTagRow(registry: r, tag: "1.4", currentDigest: r == "docker.io" ? drifted : old, newDigest: new,
                                      currentVersion: r == "docker.io" ? "1.3.1" : "1.3.2", newVersion: "1.4.0", change: .move))
            rows.append(PendingTagRow(registry: r, tag: "latest", currentDigest: old, newDigest: new, currentVersion: "1.3.2", newVersion: "1.4.0", change: .move,
                                      warnings: r == "ghcr.io" ? [.lostPlatforms([try! Platform.parse("linux/s390x")])] : []))
        }
        rows.append(PendingTagRow(registry: "ghcr.io", tag: "stable", currentDigest: new, newDigest: new, change: .unchanged))
        rows.append(PendingTagRow(registry: "ghcr.io", tag: "1", currentDigest: digest("index-2.0.0"), newDigest: new, change: .held,
                                  warnings: [.downgrade(from: "2.0.0", to: "1.4.0"), .other("held: \u{1B}[1m1 carries a newer release")]))
        return PendingTagsViewModel(version: "1.4.0", rows: rows, requiresTypedVersion: true)
    }

    /// Thirty tag rules (versions and variants, as docker/metadata-action writes them): the
    /// seven of 1.4.0 are new, the other twenty-three move, in each registry; two of ghcr.io's lose a platform.
    static let manyTags: [String] = ["", "-bookworm", "-slim", "-alpine", "-bookworm-slim", "-alpine3.20", "-distroless"]
        .flatMap { variant in ["1.4.0", "1.4", "1"].map { $0 + variant } }
        + ["latest", "bookworm", "slim", "alpine", "stable", "edge", "lts", "current", "main"]

    static var pendingManyTags: PendingTagsViewModel {
        let new = digest("index-1.4.0"), old = digest("index-1.3.2")
        let rows = registries.flatMap { r in
            manyTags.map { tag in
                tag.hasPrefix("1.4.0")
                    ? PendingTagRow(registry: r, tag: tag, currentDigest: nil, newDigest: new, newVersion: "1.4.0", change: .new)
                    : PendingTagRow(registry: r, tag: tag, currentDigest: old, newDigest: new, currentVersion: "1.3.2", newVersion: "1.4.0", change: .move,
                                    warnings: r == "ghcr.io" && (tag == "latest" || tag == "stable") ? [.lostPlatforms([try! Platform.parse("linux/s390x")])] : [])
            }
        }
        return PendingTagsViewModel(version: "1.4.0", rows: rows, requiresTypedVersion: true)
    }

    /// Ten platforms, variants and all (the longest names a release matrix shows), mid-build.
    static let manyPlatforms: [Platform] = ["linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/arm64", "linux/arm64/v9",
                                            "linux/arm/v6", "linux/arm/v7", "linux/ppc64le", "linux/s390x", "linux/riscv64/rva22u64"]
        .map { try! Platform.parse($0) }

    static var manyPlatformsEvents: [TUIEvent] {
        var events: [TUIEvent] = [.release(ReleaseViewModel(header: header, rows: manyPlatforms.map {
            PlatformRow(platform: $0, builder: $0.architecture.hasPrefix("arm") ? "arm-box" : "local")
        }))]
        for (i, p) in manyPlatforms.enumerated() where i < 7 {
            events.append(.platform(p, .started(builder: p.architecture.hasPrefix("arm") ? "arm-box" : "local")))
            events.append(.platform(p, .step(index: i + 2, total: 9, name: "[\(i + 2)/9] RUN make step\(i + 2)")))
            if i < 3 { events.append(.platform(p, .finished(digest: digest(p.slug), cached: i == 1))) }
        }
        return events
    }

    /// A registry's refusal as the engine reports it: over 300 characters, one long URL among them.
    static let longError = "publish failed: PUT https://127.0.0.1:5000/v2/acme/widget/manifests/1.4.0-bookworm-slim returned 401 unauthorized: "
        + "authentication required; the registry asked for a token from https://127.0.0.1:5000/token?service=registry&scope=repository:acme/widget:push,pull "
        + "and refused the credentials of ~/.docker/config.json; run docker login 127.0.0.1:5000, then gantry resume r-20240611-1"

    static var digests: DigestsViewModel {
        DigestsViewModel(indexDigest: digest("index-1.4.0"), registries: registries, rows: platforms.enumerated().map { i, p in
            DigestRow(platform: p, manifestDigest: i == 5 ? nil : digest(p.slug), attestationDigest: i == 3 ? nil : digest("att-" + p.slug),
                      presence: registries.indices.map { r in i == 5 ? .unknown : (r == 2 && i == 4 ? .missing : (r == 1 && i == 0 ? .checking : .present)) })
        })
    }

    static var publish: PublishViewModel {
        PublishViewModel(registries: [
            .init(registry: "ghcr.io", phase: .done, done: 7, total: 7),
            .init(registry: "docker.io", phase: .verifying, done: 5, total: 7, message: "checking 1.4"),
            .init(registry: "127.0.0.1:5000", phase: .failed, done: 2, total: 7, message: "unauthorized: authentication required"),
        ], verifications: [
            .init(registry: "ghcr.io", tag: "1.4.0", expectedDigest: digest("index-1.4.0"), result: .verified),
            .init(registry: "ghcr.io", tag: "latest", expectedDigest: digest("index-1.4.0"), result: .verified),
            .init(registry: "docker.io", tag: "1.4.0", expectedDigest: digest("index-1.4.0"), result: .verified),
            .init(registry: "docker.io", tag: "1.4", expectedDigest: digest("index-1.4.0"), result: .pending),
            .init(registry: "docker.io", tag: "latest", expectedDigest: digest("index-1.4.0"), result: .mismatch(actual: digest("index-1.3.2"))),
            .init(registry: "127.0.0.1:5000", tag: "1.4.0", expectedDigest: digest("index-1.4.0"), result: .missing),
        ])
    }

    /// `latest` side by side: a whole index in ghcr.io, one platform in docker.io (a repair
    /// publishes the release again), and the drift between them (no repair of its own).
    static var audit: AuditViewModel {
        let repair = RepairOperation.publishJournal(try! ReleaseID("r-20240611-1"), configPath: "gantry.yaml")
        let advice = "repair: \(repair.command) (release r-20240611-1 built linux/amd64, linux/arm64, linux/arm/v7)"
        return AuditViewModel(reference: "ghcr.io/acme/widget:latest", registries: [
            .init(registry: "ghcr.io", digest: digest("index-1.3.2"), platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"], version: "1.3.2", problems: 1),
            .init(registry: "docker.io", digest: digest("a-amd64-single"), platforms: ["linux/amd64"], version: "1.3.2", problems: 3),
        ], platforms: [
            .init(platform: "linux/amd64", digest: digest("a-amd64"), attestation: digest("att-a-amd64"), size: 31_400_000),
            .init(platform: "linux/arm64", digest: digest("a-arm64"), attestation: digest("att-a-arm64"), size: 29_800_000),
            .init(platform: "linux/arm/v7", digest: digest("a-armv7"), attestation: nil, size: 27_100_000),
        ], findings: [
            .init(severity: .error, kind: "drift", message: "ghcr.io/acme/widget:latest is \(Digest.short(digest("index-1.3.2"))) but docker.io has \(Digest.short(digest("a-amd64-single")))",
                  advice: "no repair: ghcr.io/acme/widget:latest lacks nothing: repair the registries that differ"),
            .init(severity: .warning, kind: "not-an-index", message: "docker.io/acme/widget:latest is a single linux/amd64 manifest, not a multi-platform index",
                  repair: repair, advice: advice),
            .init(severity: .error, kind: "missing-platform", message: "docker.io/acme/widget:latest lacks linux/arm64", repair: repair, advice: advice),
            .init(severity: .error, kind: "missing-platform", message: "docker.io/acme/widget:latest lacks linux/arm/v7", repair: repair, advice: advice),
        ], sharedTags: ["1.3.2", "1.3", "stable"], candidateTags: ["latest", "1.3.2", "1.3", "1.3.1", "1.2.0", "stable"])
    }

    /// `audit` with each registry's reference and its last release record.
    static var auditRecorded: AuditViewModel {
        var model = audit
        model.registries[0].reference = "ghcr.io/acme/widget:latest"
        model.registries[0].record = "1.3.2, released by alice@build-1 at 2024-06-11T14:02:11Z, revision 6b9894d0e1f2 (clean) · signed (verified)"
        model.registries[1].reference = "docker.io/acme/widget:latest"
        return model
    }

    /// ghcr.io's `latest` over three publications: a rollback, the release it undid, the one before.
    static var tagHistory: TagHistoryViewModel {
        TagHistoryViewModel(reference: "ghcr.io/acme/widget:latest", entries: [
            .init(digest: digest("index-1.3.2"), summary: "rolled back from 1.4.0 by bob@laptop at 2024-06-12T09:30:00Z",
                  signature: "unsigned", previous: digest("index-1.4.0")),
            .init(digest: digest("index-1.4.0"), summary: "1.4.0, released by ci-bot (GitHub Actions) at 2024-06-12T08:00:00Z, revision 9a1b2c3d4e5f (clean)",
                  signature: "signed (verified)", previous: digest("index-1.3.2")),
            .init(digest: digest("index-1.3.2"), summary: "1.3.2, released by alice@build-1 at 2024-06-11T14:02:11Z, revision 6b9894d0e1f2 (clean)",
                  signature: "signed (verified)", previous: "(created)"),
        ])
    }

    static var recover: RecoverViewModel {
        RecoverViewModel(releases: [
            .init(id: "r-20240611-1", image: "ghcr.io/acme/widget", version: "1.4.0", startedAt: "2024-06-11 14:02", stage: "tagged ghcr.io; docker.io pending"),
            .init(id: "r-20240530-2", image: "ghcr.io/acme/widget", version: "1.3.2-rc.1", startedAt: "2024-05-30 09:17", stage: "built 3 of 4 platforms"),
        ], notOffered: [
            .init(id: "r-20240612-3", image: "ghcr.io/acme/widget", version: "1.4.1", startedAt: "2024-06-12 08:40", stage: "built", note: "quit before confirming"),
            .init(id: "r-20240610-4", image: "ghcr.io/acme/gadget", version: "2.0.0", startedAt: "2024-06-10 17:25", stage: "cancelled", note: "declined"),
            .init(id: "r-20240529-5", image: "ghcr.io/acme/widget", version: "1.3.1", startedAt: "2024-05-29 11:03", stage: "failed: built 2 of 4 platforms",
                  note: "superseded by r-20240529-6"),
            .init(id: "r-20240529-6", image: "ghcr.io/acme/widget", version: "1.3.1", startedAt: "2024-05-29 12:30", stage: "verified", note: "finished"),
        ])
    }

    /// A console with every view-model filled in but the publication's (nothing is published
    /// yet: the pending tags say what they will do), on the home screen.
    static func console(theme: Theme = .color) -> Console {
        var console = Console(theme: theme)
        for (t, e) in buildingEvents { console.apply([e], now: t) }
        console.apply([.home(home), .digests(digests), .pendingTags(pendingTags), .audit(audit), .recover(recover)], now: 100)
        return console
    }

    /// The same console after every platform finished (so publishing may be confirmed).
    static func builtConsole() -> Console {
        var console = console()
        for (i, p) in platforms.enumerated() where i != 0 && i != 3 {
            console.apply([.platform(p, .finished(digest: digest(p.slug), cached: false))], now: 100)
        }
        // The release flow allows publishing once the pending tags are shown.
        console.apply([.availability(FlowAvailability(publish: .allowed))], now: 100)
        return console
    }
}

extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
