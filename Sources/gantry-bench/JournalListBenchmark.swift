import Foundation
import GantryEngine
import GantryTestSupport

/// `gantry-bench journal-list`: the real `gantry journal list` (and `--json`) over a state
/// folder of 1,000 journals, each as a finished release of 8 platforms to 2 registries
/// leaves it (settings, digests, the confirmed tag set, verification, history). Each command
/// runs 5 times; the median is the figure.
enum JournalListBenchmark {
    static let journals = 1_000
    static let runs = 5
    static let target = 0.5

    static func run() async throws {
        try await withTemporaryDirectory(prefix: "gantry-bench-journals") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url))
            let start = Date(timeIntervalSince1970: 1_780_000_000)
            for n in 0..<journals { _ = try store.create(try sample(n, at: start.addingTimeInterval(Double(n) * 3600))) }
            let bytes = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("journal.json") }
                .reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: folder.path + "/" + $1)[.size] as? Int) ?? 0) }
            for arguments in [["journal", "list"], ["journal", "list", "--json"]] {
                var measured: [MeasuredCommand] = []
                for _ in 0..<runs {
                    let command = try MeasuredCommand.gantry(arguments + ["--state-dir", folder.path])
                    guard command.status == 0 else { throw BenchmarkError("gantry \(arguments.joined(separator: " ")) exited \(command.status)") }
                    let lines = String(decoding: command.stdout, as: UTF8.self).split(separator: "\n").count
                    guard arguments.contains("--json") || lines == journals + 1 else { throw BenchmarkError("journal list printed \(lines) lines") }
                    measured.append(command)
                }
                let median = measured.map(\.seconds).sorted()[runs / 2]
                Figure(benchmark: "journal-list", measure: "gantry \(arguments.joined(separator: " ")), \(journals) journals", value: String(format: "%.3f s", median),
                       target: "≤ \(target) s", met: median <= target,
                       detail: "median of \(runs) runs (" + measured.map { String(format: "%.3f", $0.seconds) }.joined(separator: " ")
                           + String(format: " s); %.1f MiB of journals; peak RSS ", Double(bytes) / 1_048_576)
                           + Measure.mebibytes(kiB: measured.map(\.peakResidentKiB).max() ?? 0)).print()
            }
        }
    }

    /// Release `n` as its journal reads once verified.
    static func sample(_ n: Int, at date: Date) throws -> ReleaseJournal {
        let version = try SemanticVersion.parse("1.\(n / 100).\(n % 100)")
        let platforms = try ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"].map(Platform.parse)
        let registries = [RegistryTarget(host: "docker.io"), RegistryTarget(host: "ghcr.io")]
        let tags = [version.description, "1.\(n / 100)", "1", "latest"]
        func digest(_ text: String) -> String { sha256Digest(Data("\(n) \(text)".utf8)) }
        let settings = ReleaseSettings(
            configPath: "/home/ci/app/gantry.yaml", configDigest: digest("config"), builder: .buildx, publisher: .imagetools,
            revision: String(digest("revision").dropFirst(7).prefix(40)), allowPartial: [], allowDowngrade: false, attestations: .keep, failFast: false)
        var journal = ReleaseJournal(
            id: ReleaseID.make(image: "acme/app", version: version, date: date), kind: .release, image: "acme/app", version: version,
            registries: registries, tags: tags, expectedPlatforms: platforms, configPath: settings.configPath, settings: settings, now: date)
        let sources = platforms.map { PlatformSource(platform: $0, digest: digest("index \($0)")) }
        journal.platforms = platforms.map { platform in
            ReleaseJournal.PlatformRecord(platform: platform, state: .built, result: BuildResult(
                platform: platform, manifestDigest: digest("manifest \(platform)"), pushedIndexDigest: digest("index \(platform)"),
                attestationDigest: digest("attestation \(platform)"),
                presence: Dictionary(uniqueKeysWithValues: registries.map { ("\($0.host)/acme/app", true) })))
        }
        let index = digest("release index")
        let targets = registries.map { IndexTarget(registry: $0.host, digest: index, platforms: platforms, sources: sources) }
        let previous = TagTarget(digest: digest("previous"), mediaType: MediaType.ociIndex, platforms: platforms, version: try SemanticVersion.parse("1.0.0"))
        let rows = registries.flatMap { registry in
            tags.map { tag in
                PendingTag(registry: registry.host, tag: tag, current: tag.contains(".") ? nil : previous,
                           new: TagTarget(digest: index, mediaType: MediaType.ociIndex, platforms: platforms, version: version),
                           change: tag.contains(".") ? .new : .move)
            }
        }
        journal.before = rows.map { ReleaseJournal.TagSnapshot(registry: $0.registry, tag: $0.tag, digest: $0.current?.digest) }
        journal.confirmed = PendingTagSet(rows: rows, targets: targets)
        journal.publications = registries.map { registry in
            ReleaseJournal.RegistryPublication(registry: registry.host, state: .verified, indexDigest: index, verification: tags.map {
                TagVerification(registry: registry.host, tag: $0, digest: index, platforms: platforms, problems: [])
            })
        }
        for (i, message) in (platforms.map { "\($0) built: \(Digest.short(digest("manifest \($0)")))" } + [
            "pending tag set: 8 tags, 0 held", "confirmed 8 tags", "publishing to docker.io", "publishing to ghcr.io",
            "published \(Digest.short(index)) to docker.io", "published \(Digest.short(index)) to ghcr.io",
            "verified 4 tags in docker.io", "verified 4 tags in ghcr.io", "every registry verified",
        ]).enumerated() {
            journal.note(message, at: date.addingTimeInterval(Double(i)))
        }
        journal.phase = n % 10 == 0 ? .failed : .verified
        journal.updatedAt = date.addingTimeInterval(60)
        return journal
    }
}
