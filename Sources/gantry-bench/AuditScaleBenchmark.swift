import Foundation
import GantryEngine
import GantryTestSupport

/// `gantry-bench audit-scale`: a real registry holding 1,000 tags over 50 distinct indexes,
/// behind a proxy adding 20 ms to every response, audited by the real `gantry` command:
/// `audit REPO --tags`, `audit REPO --tags --json`, and `audit REF... --json` over the 1,000
/// references. Each prints its wall time, the requests the proxy saw and the command's peak
/// RSS. Beside them, `skopeo inspect --raw` of the first 50 references, extrapolated.
///
/// `gantry-bench audit-scale --tags 20000 [--latency 20] [--concurrency N]` times `audit
/// REPO --tags` alone over that many tags (20 per index) against its own targets: under
/// 60 s, ≤ 128 MiB (at gantry's own default concurrency unless N is given).
enum AuditScaleBenchmark {
    static let indexes = 50
    static let tagsPerIndex = 20
    static let skopeoSample = 50
    static let memoryTargetKiB = 64 * 1024
    /// The platforms of every index: the same two manifests under all of them.
    static let platforms = ["linux/amd64", "linux/arm64"]

    static func run(_ arguments: [String]) async throws {
        let latency = Duration.milliseconds(Int(argument("--latency", in: arguments) ?? "20") ?? 20)
        if let count = argument("--tags", in: arguments).flatMap(Int.init) {
            let concurrency = argument("--concurrency", in: arguments).flatMap(Int.init)
            try await runListing(tags: count, latency: latency, concurrency: concurrency)
            return
        }
        try await withPopulatedRegistry(indexes: indexes, latency: latency) { tags, proxy, state in
            let repository = "\(proxy.host)/bench/app"
            let references = tags.map { "\(repository):\($0)" }
            let state = ["--state-dir", state.path]
            let runs: [(name: String, arguments: [String], listsTags: Bool)] = [
                ("--tags", ["audit", repository, "--tags"] + state, true),
                ("--tags --json", ["audit", repository, "--tags", "--json"] + state, true),
                ("REF... --json", ["audit"] + references + ["--json"] + state, false),
            ]
            var gantrySeconds = 0.0
            for run in runs {
                let mark = proxy.requests.count
                let command = try MeasuredCommand.gantry(run.arguments)
                let sent = proxy.requests.dropFirst(mark)
                guard command.status == 0 else { throw BenchmarkError("gantry \(run.name) exited \(command.status)") }
                try check(run.name, output: command.stdout, tags: tags, indexes: indexes)
                let pages = sent.filter { $0.kind == "GET tags" }.count
                let budget = tags.count + indexes + pages
                let kinds = Dictionary(grouping: sent, by: \.kind).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                let measure = "audit \(run.name), \(tags.count) tags"
                Figure(benchmark: "audit-scale", measure: "requests, " + measure, value: "\(sent.count)", target: "≤ \(budget)", met: sent.count <= budget,
                       detail: "1 per tag + 1 per distinct manifest (\(indexes)) + \(pages) tag-list pages; sent: \(kinds.joined(separator: ", "))").print()
                if !run.listsTags {
                    // An audit of references also looks up what vouches for each distinct digest
                    // (the indexes and the platform manifests they share): its cosign signature
                    // tag (HEAD), its referrers (the API, GET, then the tag schema, HEAD); and
                    // each distinct platform image's manifest and config, to check the platform
                    // the indexes claim for it.
                    let subjects = indexes + platforms.count
                    let vouched = budget + 3 * subjects + 2 * platforms.count
                    Figure(benchmark: "audit-scale", measure: "  with signatures, referrers, platforms", value: "\(sent.count)", target: "≤ \(vouched)",
                           met: sent.count <= vouched,
                           detail: "+ 3 lookups for each of \(subjects) distinct digests (\(indexes) indexes, \(platforms.count) platform manifests) + 2 for each platform image (manifest, config)").print()
                }
                Figure(benchmark: "audit-scale", measure: "peak RSS, " + measure, value: Measure.mebibytes(kiB: command.peakResidentKiB),
                       target: "≤ 64 MiB", met: command.peakResidentKiB <= memoryTargetKiB, detail: "the gantry process (wait4)").print()
                Figure(benchmark: "audit-scale", measure: "wall, " + measure, value: String(format: "%.2f s", command.seconds), target: "-", met: nil,
                       detail: "20 ms added to each response; process start to exit").print()
                if !run.listsTags { gantrySeconds = command.seconds }
            }
            let clock = ContinuousClock()
            let sample = try await clock.measure {
                for reference in references.prefix(skopeoSample) { _ = try await Skopeo.digest(reference) }
            }
            let extrapolated = Measure.seconds(sample) * Double(references.count) / Double(skopeoSample)
            Figure(benchmark: "audit-scale", measure: "skopeo inspect --raw loop, \(references.count) refs", value: String(format: "%.1f s", extrapolated),
                   target: "-", met: nil,
                   detail: String(format: "EXTRAPOLATED from the first %d references (%.2f s); gantry audit REF... --json took %.2f s: %.0fx faster",
                                  skopeoSample, Measure.seconds(sample), gantrySeconds, extrapolated / gantrySeconds)).print()
        }
    }

    /// `audit REPO --tags` over `count` tags on `count / 20` indexes at `latency`: requests,
    /// wall time and peak RSS beside their targets (the listing is linear in the tags).
    static func runListing(tags count: Int, latency: Duration, concurrency: Int?) async throws {
        let wallTarget = 60.0, memoryTargetKiB = 128 * 1024
        let indexes = max(1, count / tagsPerIndex)
        try await withPopulatedRegistry(indexes: indexes, latency: latency) { tags, proxy, state in
            let chosen = concurrency.map { ["--concurrency", "\($0)"] } ?? []
            let command = try MeasuredCommand.gantry(["audit", "\(proxy.host)/bench/app", "--tags", "--state-dir", state.path] + chosen)
            guard command.status == 0 else { throw BenchmarkError("gantry audit --tags exited \(command.status)") }
            try check("--tags", output: command.stdout, tags: tags, indexes: indexes)
            let sent = proxy.requests
            let pages = sent.filter { $0.kind == "GET tags" }.count
            let budget = tags.count + indexes + pages
            let build = MeasuredCommand.isDebug ? " (DEBUG build)" : ""
            let measure = "audit --tags, \(tags.count) tags, \(Int(Measure.seconds(latency) * 1000)) ms per response\(build)"
            Figure(benchmark: "audit-scale", measure: "requests, " + measure, value: "\(sent.count)", target: "≤ \(budget)", met: sent.count <= budget,
                   detail: "1 per tag + 1 per distinct manifest (\(indexes)) + \(pages) tag-list pages").print()
            Figure(benchmark: "audit-scale", measure: "wall, " + measure, value: String(format: "%.1f s", command.seconds), target: "< 60 s",
                   met: command.seconds < wallTarget, detail: "process start to exit; " + (concurrency.map { "--concurrency \($0)" } ?? "the default concurrency (\(Auditor.listingConcurrency))")).print()
            Figure(benchmark: "audit-scale", measure: "peak RSS, " + measure, value: Measure.mebibytes(kiB: command.peakResidentKiB),
                   target: "≤ 128 MiB", met: command.peakResidentKiB <= memoryTargetKiB, detail: "the gantry process (wait4)").print()
        }
    }

    /// Runs `body` with the tags of a registry of `indexes` indexes (see `populate`), the proxy
    /// adding `latency` in front of it, and a state folder; everything stopped afterwards.
    static func withPopulatedRegistry(
        indexes: Int, latency: Duration, _ body: ([String], LatencyProxy, TemporaryDirectory) async throws -> Void
    ) async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            let tags = try await populate(registry, indexes: indexes, fixtures: fixtures)
            let proxy = try LatencyProxy(upstreamPort: registry.port, delay: latency)
            defer { proxy.stop() }
            try await withTemporaryDirectory(prefix: "gantry-bench-state") { state in try await body(tags, proxy, state) }
        }
    }

    /// Checks that a run saw every tag: `indexes` groups of 20 tags, or one result per tag.
    static func check(_ run: String, output: Data, tags: [String], indexes: Int) throws {
        if run.hasSuffix("--json") {
            guard let json = try JSONSerialization.jsonObject(with: output) as? [String: Any] else { throw BenchmarkError("\(run): not JSON") }
            let found: Int
            if let repositories = json["repositories"] as? [[String: Any]] {
                let groups = repositories.flatMap { $0["groups"] as? [[String: Any]] ?? [] }
                guard groups.count == indexes else { throw BenchmarkError("\(run): \(groups.count) groups, expected \(indexes)") }
                found = groups.reduce(0) { $0 + (($1["tags"] as? [String])?.count ?? 0) }
            } else {
                found = (json["results"] as? [[String: Any]])?.filter { $0["digest"] is String }.count ?? 0
            }
            guard found == tags.count else { throw BenchmarkError("\(run): \(found) tags resolved, expected \(tags.count)") }
        } else {
            let words = Set(String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init))
            let missing = tags.filter { !words.contains($0) }
            guard missing.isEmpty else { throw BenchmarkError("\(run): \(missing.count) tags not listed, such as \(missing[0])") }
        }
    }

    /// Pushes `indexes` indexes (one two-platform build, annotated as that many releases)
    /// straight to the registry, each under 20 tags (the same bytes PUT again); returns the tags.
    static func populate(_ registry: RegistryServer, indexes: Int, fixtures: ImageFixtures) async throws -> [String] {
        try await fixtures.pushIndex(platforms: platforms, to: ["\(registry.host)/bench/app:base"])
        let repository = ImageReference(registry: registry.host, repository: "bench/app")
        return try await RegistryClient.with(credentials: .anonymous) { client in
            let base = try await client.manifest(repository.with(tag: "base"))
            guard var index = base.index else { throw BenchmarkError("buildah pushed no index") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            var tags: [String] = []
            for release in 1...indexes {
                index.annotations = [
                    AnnotationKey.version: "1.\(release).0", AnnotationKey.revision: String(format: "%040d", release),
                    AnnotationKey.created: "2026-01-01T00:00:00Z",
                ]
                let bytes = try encoder.encode(index)
                let releaseTags = (0..<tagsPerIndex).map { "1.\(release).\($0)" }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for tag in releaseTags {
                        group.addTask { try await client.putManifest(repository, reference: tag, mediaType: base.mediaType, bytes: bytes) }
                    }
                    try await group.waitForAll()
                }
                tags += releaseTags
            }
            // The build's own index goes (deleting it by digest removes its tag): 1,000 tags over 50 indexes remain.
            try await runTool("curl", ["-sf", "-X", "DELETE", "http://\(registry.host)/v2/bench/app/manifests/\(base.digest)"])
            return tags
        }
    }
}
