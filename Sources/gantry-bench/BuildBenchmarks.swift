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
        let time = seconds(elapsed)
        print(String(format: "parse: %d rawjson updates, %d events in %.3f s: %.0f updates/s, %.0f events/s (target >= 200000/s)",
                     count, events, time, Double(count) / time, Double(events) / time))
    }

    /// Peak RSS while 1,000,000 log lines stream from a stub buildx through the driver,
    /// the runner's per-platform ring buffer and the event stream.
    static func memory() async throws {
        let lines = 1_000_000
        let (outcomes, events, seconds) = try await stubBuilds(
            platforms: ["linux/amd64"], environment: ["GANTRY_STUB_LOG_LINES": String(lines)])
        guard outcomes.allSatisfy({ $0.result != nil }) else { throw BenchmarkError("the build failed: \(outcomes)") }
        print(String(format: "memory: %d log lines (%d events) in %.1f s, peak RSS %.1f MiB (target < 64 MiB)",
                     lines, events, seconds, Double(peakResidentKiB()) / 1024))
    }

    /// 8 stub builds of 2 s each in parallel: wall time and Gantry's own CPU time, beside
    /// the wall time of the same 8 stub processes started bare (what the machine allows).
    static func orchestration() async throws {
        let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"]
        let environment = ["GANTRY_STUB_DURATION": "2"]
        let bare = try await stubBuilds(platforms: platforms, environment: environment, bare: true).2
        let cpuBefore = cpuSeconds()
        let (outcomes, events, wall) = try await stubBuilds(platforms: platforms, environment: environment)
        let cpu = cpuSeconds() - cpuBefore
        guard outcomes.allSatisfy({ $0.result != nil }) else { throw BenchmarkError("a build failed: \(outcomes)") }
        print(String(format: "orchestration: %d stub builds of 2 s, %d events: wall %.2f s (target <= 2.5 s; the same stubs run bare: %.2f s, so Gantry adds %.2f s), Gantry CPU %.3f s = %.1f%% of wall (target < 5%%)",
                     platforms.count, events, wall, bare, wall - bare, cpu, cpu / wall * 100))
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
                    return (Array(outcomes.values), await counter.value, seconds(elapsed))
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
        return seconds(clock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User plus system CPU time of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `VmHWM` from /proc/self/status: the peak resident set size, in KiB.
    static func peakResidentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// A benchmark that cannot run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
