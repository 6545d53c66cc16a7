import Foundation
import GantryEngine
import GantryTestSupport

/// `gantry-bench audit`: 20 tags in 2 registries, each behind a proxy adding 20 ms per
/// response; Gantry's audit against a sequential `skopeo inspect --raw` loop over the same references.
enum AuditBenchmark {
    static let releases = 5
    static let tagsPerRelease = 4
    static let latency = Duration.milliseconds(20)

    static func run() async throws {
        try await withRegistries(2) { registries in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            let proxies = try registries.map { try LatencyProxy(upstreamPort: $0.port, delay: latency) }
            defer { proxies.forEach { $0.stop() } }

            let tags = try await publishReleases(to: registries, fixtures: fixtures)
            let references = try proxies.flatMap { proxy in try tags.map { try ImageReference.parse("\(proxy.host)/acme/app:\($0)") } }
            let clock = ContinuousClock()

            let client = RegistryClient(configuration: .init(), credentials: .anonymous)
            var report: AuditReport?
            // Like for like with `skopeo inspect --raw`: manifests only, no signature, referrer, attestation or platform-config lookups.
            let gantryTime = await clock.measure { report = await Auditor(client: client, inspectsSupplyChain: false, checksPlatforms: false).audit(references) }
            let statistics = await client.statistics
            try await client.shutdown()

            var skopeoDigests: [String] = []
            let skopeoTime = try await clock.measure {
                for reference in references { skopeoDigests.append(try await Skopeo.digest(reference.description)) }
            }

            guard let report, report.findings.isEmpty, report.results.map(\.digest) == skopeoDigests else {
                throw BenchmarkError("the audit disagrees with skopeo or has findings: \(report?.findings ?? [])")
            }
            let distinct = Set(report.results.map { "\($0.registry)@\($0.digest!)" }).count
            let budget = references.count + distinct
            let ratio = skopeoTime / gantryTime
            let shape = "\(tags.count) tags x \(registries.count) registries, \(latency) per response"
            Figure(benchmark: "audit", measure: "speed-up over a skopeo loop", value: String(format: "%.1fx", ratio), target: "≥ 8x", met: ratio >= 8,
                   detail: String(format: "gantry %.3f s, skopeo inspect --raw %.3f s (%d sequential runs); ", Measure.seconds(gantryTime), Measure.seconds(skopeoTime), references.count) + shape).print()
            Figure(benchmark: "audit", measure: "requests", value: "\(statistics.total)", target: "≤ \(budget)", met: statistics.total <= budget,
                   detail: "1 HEAD per tag per registry + 1 GET per distinct manifest (\(distinct)); \(statistics.description)").print()
        }
    }

    /// Pushes `releases` indexes (two platforms, version/revision/created annotations) to both
    /// registries, each under `tagsPerRelease` tags; returns the tags.
    static func publishReleases(to registries: [RegistryServer], fixtures: ImageFixtures) async throws -> [String] {
        // One build, copied byte for byte, so every registry holds the same release digests.
        let base = registries.map { "\($0.host)/acme/app:base" }
        try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [base[0]])
        for copy in base.dropFirst() {
            try await runTool("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(base[0])", "docker://\(copy)"])
        }
        let client = RegistryClient(configuration: .init(), credentials: .anonymous)
        var tags: [String] = []
        do {
            for release in 1...releases {
                let version = "1.\(release).0"
                let releaseTags = [version, "1.\(release)", "1.\(release)-stable", "1.\(release).0-final"].prefix(tagsPerRelease)
                tags += releaseTags
                for registry in registries {
                    let repository = try ImageReference.parseRepository("\(registry.host)/acme/app")
                    let base = try await client.manifest(repository.with(tag: "base"))
                    guard var index = base.index else { throw BenchmarkError("buildah pushed no index") }
                    index.annotations = [
                        AnnotationKey.version: version, AnnotationKey.revision: String(repeating: "\(release)", count: 40),
                        AnnotationKey.created: "2026-01-0\(release)T00:00:00Z",
                    ]
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    let bytes = try encoder.encode(index)
                    for tag in releaseTags {
                        try await client.putManifest(repository, reference: tag, mediaType: base.mediaType, bytes: bytes)
                    }
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return tags
    }
}
