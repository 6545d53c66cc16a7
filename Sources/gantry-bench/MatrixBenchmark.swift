import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Synchronization

/// `gantry-bench matrix [--seconds 30] [--rate 20000]`: a build of 64 platforms through the
/// engine (`ReleaseFlow`, the buildx driver, the stand-in `docker` emitting rawjson at
/// `rate` log lines a second in all, then pushing to a real registry) and the release
/// console, headless at 120×40. While the builds stream, the selection walks down the whole
/// matrix and stays on the last row; every second a monitor samples the backlog and the
/// screen: the log of the selected platform must change from sample to sample.
enum MatrixBenchmark {
    static let size = GridSize(width: 120, height: 40)

    static func run(_ arguments: [String]) async throws {
        let seconds = Double(argument("--seconds", in: arguments) ?? "30") ?? 30
        let rate = Double(argument("--rate", in: arguments) ?? "20000") ?? 20000
        let platforms = Self.platforms(64)
        try await withRegistry { registry in
            try await withTemporaryDirectory(prefix: "gantry-bench-matrix") { folder in
                try folder.write("context/Dockerfile", "FROM scratch\nCOPY . /\nRUN make\n")
                let config = try folder.write("gantry.yaml", """
                    image: bench/matrix
                    registries: [\(registry.host)]
                    platforms: [\(platforms.map(\.description).joined(separator: ", "))]
                    build: {context: context}
                    builder: buildx
                    attestations: none
                    parallel: \(platforms.count)

                    """)
                let perPlatform = rate / Double(platforms.count)
                let environment = FlowEnvironment(
                    state: StateDirectory(root: folder.url.appendingPathComponent("state")), docker: StubDocker.path,
                    environment: ["GANTRY_STUB_LOG_LINES": String(Int(perPlatform * seconds)), "GANTRY_STUB_LOG_RATE": String(perPlatform)],
                    credentials: .anonymous)
                let request = FlowRequest.build(try ReleaseConfigLoader.load(path: config), try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil)
                try await measure(request, environment, platforms: platforms, seconds: seconds, rate: rate)
            }
        }
    }

    /// One sample of the console, taken every second.
    struct Sample {
        var at: Double
        var backlog: Int
        /// The platform whose log is shown, from the log pane's title.
        var selected: String?
        /// The newest line of that log.
        var lastLine: String?
        /// Whether the matrix is scrolled down (its `↑` marker shows).
        var scrolled = false
        /// Events posted to the console so far.
        var posted = 0

        /// Whether the selected platform is still emitting its log (`log line N of M`, N < M).
        var isStreaming: Bool {
            guard let line = lastLine?.split(separator: "log line ").last else { return false }
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return numbers.count >= 2 && numbers[0] < numbers[1]
        }
    }

    static func measure(_ request: FlowRequest, _ environment: FlowEnvironment, platforms: [Platform], seconds: Double, rate: Double) async throws {
        let inbox = ConsoleInbox()
        let done = "Platforms \(platforms.count)/\(platforms.count)", streamed = "log line "
        // Once the builds stream, walk the selection down every row (the matrix scrolls) and
        // stay on the last one; wait until every platform is built and its events applied,
        // then quit.
        let drained = Mutex(false)
        let script: [HeadlessTerminal.Step] = [.untilScreen(deadline: .seconds(60)) { $0.render().contains(streamed) }]
            + (1..<platforms.count).flatMap { _ in [.input(.key(.down)), .idle(.milliseconds(100))] }
            + [.untilScreen(deadline: .seconds(seconds + 120)) { $0.render().contains(done) },
               .until(deadline: .seconds(10)) { inbox.backlog == 0 && drained.withLock { $0 = true; return true } },
               .input(.key(.char("q")))]
        let terminal = HeadlessTerminal(size: size, script: script)
        let clock = ContinuousClock()
        let start = clock.now
        let stopped = Mutex(false)
        let monitor = Task {
            var samples: [Sample] = []
            while !stopped.withLock({ $0 }) {
                try? await Task.sleep(for: .seconds(1))
                samples.append(sample(await terminal.lastGrid, backlog: inbox.backlog, posted: inbox.posted, at: Measure.seconds(clock.now - start)))
            }
            return samples
        }
        Measure.resetPeakResident()
        let cpuStart = Measure.cpuSeconds(), childrenStart = Measure.childrenCPUSeconds()
        let result = try await ReleaseConsole.run(request, in: environment, terminal: terminal, inbox: inbox)
        let wall = Measure.seconds(clock.now - start)
        let cpu = Measure.cpuSeconds() - cpuStart, children = Measure.childrenCPUSeconds() - childrenStart
        stopped.withLock { $0 = true }
        let samples = await monitor.value
        let frames = await terminal.frames
        let finalScreen = await terminal.lastGrid?.render() ?? ""
        guard result.outcome?.journal.phase == .built, finalScreen.contains(done) else {
            throw BenchmarkError("the builds did not all finish: \(result.error?.message ?? String(describing: result.outcome?.journal.phase))")
        }
        report(samples: samples, frames: frames, wall: wall, cpu: cpu, children: children, drained: drained.withLock { $0 },
               platforms: platforms, rate: rate)
    }

    static func report(samples: [Sample], frames: Int, wall: Double, cpu: Double, children: Double, drained: Bool,
                       platforms: [Platform], rate: Double) {
        // The streaming window: the seconds in which at least half the rate arrived.
        let busy = zip(samples, samples.dropFirst()).filter { Double($1.posted - $0.posted) / ($1.at - $0.at) >= rate / 2 }
        let streamed = busy.first.map { first in Double(busy.last!.1.posted - first.0.posted) / (busy.last!.1.at - first.0.at) } ?? 0
        let maxBacklog = samples.map(\.backlog).max() ?? 0
        Figure(benchmark: "matrix", measure: "backlog, 64 platforms at \(Int(rate))/s", value: "max \(maxBacklog), " + (drained ? "drained" : "NOT drained"),
               target: "< \(Int(rate)), drained", met: Double(maxBacklog) < rate && drained,
               detail: String(format: "%d events, %.0f/s over %d s of streaming; sampled every second", samples.last?.posted ?? 0, streamed, busy.count)).print()
        let fps = Double(frames) / wall
        Figure(benchmark: "matrix", measure: "frames/s", value: String(format: "%.1f", fps), target: "≤ 30", met: fps <= 30, detail: "\(frames) frames in \(String(format: "%.1f", wall)) s").print()
        Figure(benchmark: "matrix", measure: "Gantry CPU, one core", value: String(format: "%.1f%%", cpu / wall * 100), target: "-", met: nil,
               detail: String(format: "%.1f s over %.1f s; the 64 stand-in builders and their pushes used %.1f s more", cpu, wall, children)).print()
        let peak = Measure.peakResidentKiB()
        Figure(benchmark: "matrix", measure: "peak RSS", value: Measure.mebibytes(kiB: peak), target: "-", met: nil,
               detail: "this process: engine, console and every platform's log").print()
        // Live: between two samples on the same selected platform while it streams, its newest log line changed.
        let pairs = zip(samples, samples.dropFirst()).filter { $0.selected != nil && $0.selected == $1.selected && $0.isStreaming }
        let live = pairs.filter { $0.lastLine != $1.lastLine }.count
        Figure(benchmark: "matrix", measure: "selected row's log live", value: "\(live)/\(pairs.count) samples", target: "all", met: !pairs.isEmpty && live == pairs.count,
               detail: "the newest log line of the selected platform changed between consecutive samples").print()
        let last = platforms.last!.description
        let atBottom = samples.filter { $0.selected == last && $0.scrolled }.count
        Figure(benchmark: "matrix", measure: "matrix scrolls to the last row", value: "\(atBottom) samples", target: "> 0", met: atBottom > 0,
               detail: "the selection walked down all \(platforms.count) rows: the table scrolled (↑ shown) and the log pane followed to \(last)").print()
    }

    /// What the screen shows now: the log pane's platform and its newest line.
    static func sample(_ grid: CellGrid?, backlog: Int, posted: Int, at: Double) -> Sample {
        let lines = grid?.render().split(separator: "\n").map(String.init) ?? []
        guard let title = lines.firstIndex(where: { $0.contains("Log · ") }) else { return Sample(at: at, backlog: backlog, posted: posted) }
        let selected = lines[title].components(separatedBy: "Log · ").last?.components(separatedBy: " · ").first
        let logLines = lines[(title + 1)...].prefix { !$0.contains("└") }
        return Sample(at: at, backlog: backlog, selected: selected, lastLine: logLines.last, scrolled: lines[..<title].contains { $0.contains("↑") }, posted: posted)
    }

    /// `count` distinct platforms Gantry accepts, Linux first.
    static func platforms(_ count: Int) -> [Platform] {
        let oses = ["linux", "freebsd", "windows", "netbsd", "openbsd", "darwin"]
        let architectures = ["amd64", "arm64", "386", "ppc64le", "s390x", "riscv64", "mips64le", "mips64", "mipsle", "mips", "loong64", "ppc64"]
        return Array(oses.lazy.flatMap { os in architectures.map { Platform(os: os, architecture: $0) } }.prefix(count))
    }
}
