import GantryEngine
@testable import GantryTUI

/// The family (an app, its slim variant and a worker), two platforms each, to two
/// registries, in the console's states: mid-build, its one pending set, publishing.
enum SampleFamily {
    static let images = ["acme/app", "acme/app:slim", "acme/worker"]
    static let platforms: [Platform] = ["linux/amd64", "linux/arm64"].map { try! Platform.parse($0) }
    static let registries = ["ghcr.io", "docker.io"]
    static let header = ReleaseHeader(image: "acme/app family, 3 images", version: "1.3.0", registries: registries, builders: ["buildx"])

    /// The repository and tags of `image` for 1.3.0.
    static func tags(_ image: String) -> [String] {
        image.hasSuffix(":slim") ? ["1.3.0-slim", "1.3-slim", "1-slim", "slim"] : ["1.3.0", "1.3", "1", "latest"]
    }

    /// The app built, the slim variant building, the worker's arm64 failed, at console time 100 s.
    static var buildingEvents: [(Double, TUIEvent)] {
        var events: [(Double, TUIEvent)] = [(0, .release(ReleaseViewModel(header: header, rows: [])))]
        for image in images {
            for p in platforms { events.append((1, .platform(p, .queued, image: image))) }
        }
        func at(_ t: Double, _ image: String, _ p: Int, _ e: TUIEvent.BuildProgress) { events.append((t, .platform(platforms[p], e, image: image))) }
        for p in 0..<2 {
            at(10, "acme/app", p, .started(builder: "buildx"))
            at(40 + Double(p), "acme/app", p, .finished(digest: Sample.digest("app-\(p)"), cached: false))
        }
        at(45, "acme/app:slim", 0, .started(builder: "buildx"))
        at(50, "acme/app:slim", 0, .step(index: 2, total: 3, name: "[2/3] COPY hello.txt /slim.txt"))
        at(60, "acme/worker", 0, .started(builder: "buildx"))
        at(62, "acme/worker", 0, .step(index: 3, total: 3, name: "[3/3] RUN make worker"))
        at(61, "acme/worker", 1, .started(builder: "buildx"))
        at(70, "acme/worker", 1, .failed("exit status 2: make: *** No rule to make target 'worker'"))
        return events
    }

    /// The family's one pending set for 1.3.0: every image's tags in both registries; the
    /// version tags new, the others moving from 1.2.3.
    static var pendingTags: PendingTagsViewModel {
        var rows: [PendingTagRow] = []
        for image in images {
            let new = Sample.digest("index-1.3.0-\(image)"), old = Sample.digest("index-1.2.3-\(image)")
            for registry in registries {
                for (n, tag) in tags(image).enumerated() {
                    rows.append(n == 0
                        ? PendingTagRow(registry: registry, tag: tag, currentDigest: nil, newDigest: new, newVersion: "1.3.0", change: .new, image: image)
                        : PendingTagRow(registry: registry, tag: tag, currentDigest: old, newDigest: new, currentVersion: "1.2.3", newVersion: "1.3.0",
                                        change: .move, image: image))
                }
            }
        }
        return PendingTagsViewModel(version: "1.3.0", rows: rows, requiresTypedVersion: true)
    }

    /// Publishing: the app done in both registries, the slim variant tagging, the worker waiting.
    static var publish: PublishViewModel {
        var registryRows: [PublishViewModel.RegistryRow] = []
        var verifications: [PublishViewModel.VerificationRow] = []
        for image in images {
            for registry in registries {
                let phase: PublishViewModel.RegistryRow.Phase = image == "acme/app" ? .done : image == "acme/app:slim" ? .verifying : .waiting
                registryRows.append(.init(registry: registry, phase: phase, done: phase == .waiting ? 0 : 4, total: 4, image: image))
                guard phase != .waiting else { continue }
                for tag in tags(image) {
                    verifications.append(.init(
                        registry: registry, tag: tag, expectedDigest: Sample.digest("index-1.3.0-\(image)"),
                        result: phase == .done ? .verified : .pending, image: image))
                }
            }
        }
        return PublishViewModel(registries: registryRows, verifications: verifications)
    }

    /// The audit of 1.3.0 with a family config: every image's tags side by side; the
    /// worker's `1.3` in docker.io lacks arm64, and its repair promotes only the worker.
    static var audit: AuditViewModel {
        var results: [AuditResult] = []
        for image in ["acme/app", "acme/worker"] {
            for registry in registries {
                for tag in ["1.3.0", "1.3"] {
                    let broken = image == "acme/worker" && registry == "docker.io" && tag == "1.3"
                    let shown = platforms.filter { !broken || $0.architecture == "amd64" }
                    results.append(AuditResult(
                        registry: registry, repository: image, tag: tag, digest: Sample.digest("\(image)\(broken)"),
                        mediaType: MediaType.ociIndex,
                        platforms: shown.map { AuditedPlatform(platform: $0.description, digest: Sample.digest("\(image)\($0)"), mediaType: MediaType.ociManifest, size: 418) },
                        version: "1.3.0",
                        findings: broken ? [Finding(.missingPlatform, "\(registry)/\(image):\(tag) lacks linux/arm64")] : []))
                }
            }
        }
        let repair = RepairOperation.promote(version: "1.3.0", from: "ghcr.io", to: ["docker.io"], configPath: "gantry.yaml", image: "acme/worker")
        let advice = RepairAdvice(repairs: [.init(references: ["docker.io/acme/worker:1.3"], operation: repair, reason: "ghcr.io/acme/worker:1.3 is the whole release")])
        return AuditPresenter.viewModel(AuditReport(results: results), listing: nil, advice: advice)
    }

    static var home: HomeViewModel {
        HomeViewModel(configPath: "gantry.yaml", image: "acme/app", nextVersion: "1.3.0", unfinishedReleases: 0,
                      suggestions: ["1.3.0", "1.2.4", "2.0.0"], suggestionSource: "after 1.2.3, the newest in ghcr.io", images: images)
    }

    /// A console with the family mid-build, on the release screen.
    static func console() -> Console {
        var console = Console(theme: .color)
        for (t, e) in buildingEvents { console.apply([e], now: t) }
        console.apply([.home(home), .pendingTags(pendingTags), .show(.release)], now: 100)
        return console
    }
}
