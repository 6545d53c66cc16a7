import Foundation
import GantryEngine
import GantryTestSupport

/// `gantry-bench copy`: a 3-platform index with attestations and about 20 MiB of layers,
/// copied between registries behind loopback proxies adding 20 ms per response: Gantry's
/// copy beside `skopeo copy --all` of the same reference, each into an empty registry of
/// its own, then Gantry's copy again with everything present.
enum CopyBenchmark {
    static let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    static let layerBytes = 7 * 1_048_576
    static let latency = Duration.milliseconds(20)

    static func run() async throws {
        try await withRegistries(3) { registries in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            let proxies = try registries.map { try LatencyProxy(upstreamPort: $0.port, delay: latency) }
            defer { proxies.forEach { $0.stop() } }
            let source = try ImageReference.parse("\(proxies[0].host)/acme/app:1.0.0")
            let digest = try await RegistryClient.with(credentials: .anonymous) { client in
                try await pushAttestedIndex(
                    client, fixtures: fixtures, platforms: platforms, layerBytes: layerBytes,
                    to: try ImageReference.parse("\(registries[0].host)/acme/app:1.0.0"))
            }
            let clock = ContinuousClock()

            let target = try ImageReference.parse("\(proxies[1].host)/acme/app")
            let (first, firstTime, _) = try await timedCopy(source, to: target, clock: clock)
            let skopeoTarget = "\(proxies[2].host)/acme/app"
            let skopeoTime = try await clock.measure {
                try await runTool("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                                       "docker://\(source)", "docker://\(skopeoTarget):1.0.0"])
            }
            let before = proxies.map(\.requests.count).reduce(0, +)
            let (second, secondTime, statistics) = try await timedCopy(source, to: target, clock: clock)
            let roundTrips = proxies.map(\.requests.count).reduce(0, +) - before

            guard first.digest == digest, try await Skopeo.digest("\(target.name)@\(digest)") == digest,
                  try await Skopeo.digest("\(skopeoTarget):1.0.0") == digest, second.wasPresent
            else { throw BenchmarkError("the copies disagree with the source \(digest): \(first), \(second)") }
            let mebibytes = Double(first.bytesCopied) / 1_048_576
            let speedUp = skopeoTime / firstTime
            let perPlatform = Double(roundTrips) / Double(platforms.count)
            Figure(benchmark: "copy", measure: "speed-up over skopeo copy --all", value: String(format: "%.1fx", speedUp), target: "≥ 2x", met: speedUp >= 2,
                   detail: String(format: "gantry %.3f s, skopeo %.3f s; %d platforms with attestations, %d manifests, %d blobs (%.1f MiB), 20 ms per response",
                                  Measure.seconds(firstTime), Measure.seconds(skopeoTime), platforms.count, first.manifestsCopied, first.blobsCopied, mebibytes)).print()
            Figure(benchmark: "copy", measure: "round trips per platform, all present", value: String(format: "%.2f", perPlatform), target: "≤ 3", met: perPlatform <= 3,
                   detail: String(format: "second copy %.3f s, %d round trips; ", Measure.seconds(secondTime), roundTrips) + statistics.description).print()
        }
    }

    /// One copy with a client of its own (nothing known from an earlier one).
    private static func timedCopy(
        _ source: ImageReference, to target: ImageReference, clock: ContinuousClock
    ) async throws -> (CopyReport, Duration, RequestStatistics) {
        try await RegistryClient.with(credentials: .anonymous) { client in
            var report: CopyReport?
            let time = try await clock.measure { report = try await ImageCopier(client: client).copy(source, to: target) }
            guard let report else { throw BenchmarkError("no copy report") }
            return (report, time, await client.statistics)
        }
    }
}
