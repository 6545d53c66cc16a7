import Foundation
import GantryEngine
import GantryTestSupport

/// Benchmarks of the build engine: `parse`, `memory`, `orchestration`.
enum BuildBenchmarks {
    static let names = ["parse", "memory", "orchestration"]

    static func run(_ name: String) async throws {
        switch name {
        case "parse": parse()
        case "memory": try await memory()
        case "orchestration": try await orchestration()
        default: throw BenchmarkError("unknown build benchmark \(name)")
        }
    }

    /// rawjson decoding throughput on one core: 1,000,000 distinct updates through the
    /// decoder, generated in chunks outside the timed part.
    static func parse() {
        let count = 1_000_000, chunk = 100_000
        var decoder = RawJSONProgressDecoder()
        var events = 0
        var elapsed = Duration.zero
        let clock = ContinuousClock()
        for start in stride(from: 0, to: count, by: chunk) {
            let lines = (start..<start + chunk).map { Array(SyntheticProgress.line($0).utf8) }
            elapsed += clock.measure {
                for line in lines { decoder.feed(line: line) { _ in events += 1 } }
            }
        }
        let time = Measure.seconds(elapsed)
        let rate = Double(count) / time
        Figure(benchmark: "parse", measure: "rawjson updates/s, one core", value: String(format: "%.0f", rate), target: "≥ 200000", met: rate >= 200_000,
               detail: String(format: "%d updates, %d events in %.3f s (%.0f events/s)", count, events, time, Double(events) / time)).print()
    }

    /// Peak RSS while 1,000,000 log lines stream from a stub buildx through the driver,
    /// the runner's per-platform ring buffer and the event stream.
    static func memory() async throws {
        let lines = 1_000_000
        let (outcomes, events, seconds) = try await stubBuilds(
            platforms: ["linux/amd64"], environment: ["GANTRY_STUB_LOG_LINES": String(lines)])
        guard outcomes.allSatisfy({ $0.result != nil }) else { throw BenchmarkError("the build failed: \(outcomes)") }
        let peak = Measure.peakResidentKiB()
        Figure(benchmark: "memory", measure: "peak RSS, 1,000,000 log lines", value: Measure.mebibytes(kiB: peak), target: "< 64 MiB", met: peak < 64 * 1024,
               detail: String(format: "%d log lines (%d events) in %.1f s through a build", lines, events, seconds)).print()
    }

    /// 8 stub builds of 2 s each in parallel: wall time and Gantry's own CPU time, beside
    /// the wall time of the same 8 stub processes started bare (what the machine allows).
    static func orchestration() async throws {
        let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"]
        let environment = ["GANTRY_STUB_DURATION": "2"]
        let bare = try await stubBuilds(platforms: platforms, environment: environment, bare: true).2
        let cpuBefore = Measure.cpuSeconds()
        let (outcomes, events, wall) = try await stubBuilds(platforms: platforms, environment: environment)
        let cpu = Measure.cpuSeconds() - cpuBefore
        guard outcomes.allSatisfy({ $0.result != nil }) else { throw BenchmarkError("a build failed: \(outcomes)") }
        Figure(benchmark: "orchestration", measure: "wall, 8 stub builds of 2 s", value: String(format: "%.2f s", wall), target: "≤ 2.5 s", met: wall <= 2.5,
               detail: String(format: "the same stubs run bare: %.2f s, so Gantry adds %.2f s; %d events", bare, wall - bare, events)).print()
        Figure(benchmark: "orchestration", measure: "Gantry CPU, share of wall", value: String(format: "%.1f%%", cpu / wall * 100), target: "< 5%", met: cpu / wall < 0.05,
               detail: String(format: "%.3f s of CPU", cpu)).print()
    }

    /// Runs stub buildx builds of `platforms` into a fresh registry; returns the outcomes,
    /// the number of events and the wall time of the builds alone.
    /// With `bare`, the stub processes run side by side without the runner, driver or registry checks.
    static func stubBuilds(platforms: [String], environment: [String: String], bare: Bool = false) async throws -> ([BuildOutcome], Int, Double) {
        try await withRegistry { server in
            try await withTemporaryDirectory(prefix: "gantry-bench") { dir in
                try dir.write("context/Dockerfile", "FROM scratch\nCOPY . /\nRUN make\n")
                let config = ReleaseConfig(
                    source: dir.path + "/gantry.yaml", image: "bench/app", registries: [RegistryTarget(host: server.host)],
                    platforms: try platforms.map { PlatformTarget(platform: try Platform.parse($0)) },
                    build: BuildSpec(context: dir.path + "/context"), tags: [TagRule("{{version}}")],
                    attestations: .none, parallel: platforms.count)
                let version = try SemanticVersion.parse("1.0.0")
                let folder = StateDirectory(root: dir.url.appendingPathComponent("state")).release(ReleaseID.make(image: "bench/app", version: version))
                return try await RegistryClient.with(credentials: .anonymous) { registry in
                    if bare { return ([], 0, try await bareStubs(config: config, version: version, folder: folder, environment: environment)) }
                    let driver = BuildxDriver(registry: registry, docker: StubDocker.path, environment: environment)
                    let runner = BuildRunner(config: config, version: version, revision: nil, folder: folder, driver: driver)
                    let counter = Task { await runner.events.reduce(0) { count, _ in count + 1 } }
                    let clock = ContinuousClock()
                    let start = clock.now
                    let outcomes = await runner.run()
                    let elapsed = clock.now - start
                    await runner.finish()
                    return (Array(outcomes.values), await counter.value, Measure.seconds(elapsed))
                }
            }
        }
    }

    /// Wall time of the stub buildx commands of `config`, all started at once.
    static func bareStubs(config: ReleaseConfig, version: SemanticVersion, folder: ReleaseFolder, environment: [String: String]) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for target in config.platforms {
                let argv = BuildxInvocation.build(config: config, platform: target, version: version.description, revision: nil,
                                                  metadataFile: folder.metadataFile(for: target.platform).path)
                group.addTask {
                    let exit = try await ChildProcess(StubDocker.path, argv, environment: environment).run { _ in }
                    guard exit.succeeded else { throw BenchmarkError("the bare stub for \(target.platform) \(exit)") }
                }
            }
            try await group.waitForAll()
        }
        return Measure.seconds(clock.now - start)
    }
}
