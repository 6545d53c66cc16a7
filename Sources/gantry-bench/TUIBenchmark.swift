import Foundation
import GantryEngine
import GantryTUI
import Synchronization

/// `gantry-bench tui [--seconds 30] [--rate 20000] [--idle 10] [--images 8]`: drives the real
/// console loop headless (into a cell grid, 120×40) with 8 platforms (of each of `--images`
/// family images, grouped by image as a family's matrix is) emitting `rate` events a second
/// in total, samples the inbox backlog every second, and measures CPU with getrusage; then
/// measures CPU while idle. Exits 1 if the backlog grows, frames pass 30/s, or idle CPU is 1% or more.
enum TUIBenchmark {
    static func run(_ arguments: [String]) async throws {
        let seconds = Double(argument("--seconds", in: arguments) ?? "30") ?? 30
        let rate = Int(argument("--rate", in: arguments) ?? "20000") ?? 20000
        let idleSeconds = Double(argument("--idle", in: arguments) ?? "10") ?? 10
        let imageCount = max(1, Int(argument("--images", in: arguments) ?? "1") ?? 1)
        // One image has no name of its own (a single-image release); a family's are named.
        let images: [String?] = imageCount == 1 ? [nil] : (1...imageCount).map { "acme/image-\($0)" }
        let shape = imageCount == 1 ? "8 platforms" : "\(imageCount) images × 8 platforms"

        let load = try await measureLoad(seconds: seconds, rate: rate, images: images)
        let idle = try await measureIdle(seconds: idleSeconds, images: images)
        let keptUp = load.maxBacklog < rate && load.finalBacklog == 0
        let fps = Double(load.frames) / load.seconds
        Figure(benchmark: "tui", measure: "backlog, \(shape) at \(rate)/s", value: "max \(load.maxBacklog), \(load.finalBacklog) left",
               target: "< \(rate), 0 left", met: keptUp,
               detail: String(format: "%d events in %.1f s (%.0f/s); last sample %d", load.events, load.seconds, Double(load.events) / load.seconds, load.lastSample)).print()
        Figure(benchmark: "tui", measure: "frames/s under load, \(shape)", value: String(format: "%.1f", fps), target: "≤ 30", met: fps <= 30,
               detail: "\(load.frames) frames").print()
        Figure(benchmark: "tui", measure: "CPU under load, one core", value: String(format: "%.1f%%", load.cpuPercent), target: "-", met: nil,
               detail: "printed for comparison; the console keeps up (backlog above)").print()
        Figure(benchmark: "tui", measure: "CPU idle, one core", value: String(format: "%.2f%%", idle.cpuPercent), target: "< 1%", met: idle.cpuPercent < 1,
               detail: String(format: "%.1f s idle, %d frames", idle.seconds, idle.frames)).print()
        if !keptUp || fps > 30 || idle.cpuPercent >= 1 { exit(1) }
    }

    struct Measurement {
        var events = 0
        var seconds = 0.0
        var frames = 0
        var maxBacklog = 0
        var lastSample = 0
        var finalBacklog = 0
        var cpuPercent = 0.0
    }

    static let platforms: [Platform] = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/ppc64le", "linux/s390x", "linux/riscv64", "linux/386"]
        .map { try! Platform.parse($0) }

    static func releaseConsole(images: [String?]) -> Console {
        var console = Console(theme: .color)
        let header = ReleaseHeader(image: "ghcr.io/acme/widget", version: "1.4.0", registries: ["ghcr.io", "docker.io"], builders: ["local"])
        let rows = images.flatMap { image in platforms.map { PlatformRow(platform: $0, builder: "local", image: image) } }
        console.apply([.release(ReleaseViewModel(header: header, rows: rows)), .show(.release)], now: 0)
        return console
    }

    /// A producer per image × platform posts batches every 10 ms; a monitor samples the backlog each second.
    static func measureLoad(seconds: Double, rate: Int, images: [String?]) async throws -> Measurement {
        let inbox = ConsoleInbox()
        let perPlatformBatch = max(1, rate / (platforms.count * images.count) / 100)
        let finished = Mutex(false)
        let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
            .until(deadline: .seconds(seconds + 5)) { finished.withLock { $0 } && inbox.backlog == 0 },
            .input(.interrupted(signal: SIGTERM)),
        ])
        let cpuStart = Measure.cpuSeconds(), wallStart = ContinuousClock.now
        let end = wallStart.advanced(by: .seconds(seconds))
        let producers = Task.detached {
            await withTaskGroup(of: Int.self) { group in
                for image in images {
                    for platform in platforms {
                        group.addTask { await produce(platform, of: image, batch: perPlatformBatch, until: end, into: inbox) }
                    }
                }
                let sent = await group.reduce(0, +)
                finished.withLock { $0 = true }
                return sent
            }
        }
        let monitor = Task.detached { () -> (Int, Int) in
            var maxBacklog = 0, last = 0
            while ContinuousClock.now < end {
                try? await Task.sleep(for: .seconds(1))
                last = inbox.backlog
                maxBacklog = max(maxBacklog, last)
            }
            return (maxBacklog, last)
        }
        _ = try await ConsoleLoop().run(releaseConsole(images: images), terminal: terminal, inbox: inbox) { _ in }
        var m = Measurement()
        m.seconds = Measure.seconds(ContinuousClock.now - wallStart)
        m.cpuPercent = (Measure.cpuSeconds() - cpuStart) / m.seconds * 100
        m.events = await producers.value
        (m.maxBacklog, m.lastSample) = await monitor.value
        m.finalBacklog = inbox.backlog
        m.frames = await terminal.frames
        return m
    }

    /// One platform's build as the engine reports it (steps and log lines, mapped by the
    /// console's presenter), in batches every 10 ms, then finished.
    static func produce(_ platform: Platform, of image: String?, batch: Int, until end: ContinuousClock.Instant, into inbox: ConsoleInbox) async -> Int {
        var sent = 0
        var next = ContinuousClock.now
        while next < end {
            var events: [TUIEvent] = []
            events.reserveCapacity(batch)
            for i in 0..<batch {
                let n = sent + i
                let step = (n / 100) % 40 + 1
                let kind: BuildEvent.Kind = n % 100 == 0
                    ? .stepStarted(BuildStep(index: step, total: 40, name: "RUN make target-\(n / 100)"))
                    : .log("#\(n / 100) \(Double(n % 100) / 10)s compiling src/module\(n % 37).c -O2 -Wall")
                events += BuildEventPresenter.events(for: BuildEvent(platform, kind), image: image)
            }
            inbox.post(contentsOf: events)
            sent += batch
            next = next.advanced(by: .milliseconds(10))
            try? await Task.sleep(until: next, tolerance: .milliseconds(1), clock: .continuous)
        }
        let result = BuildResult(platform: platform, manifestDigest: "sha256:" + String(repeating: "ab", count: 32))
        inbox.post(contentsOf: BuildEventPresenter.events(for: BuildEvent(platform, .finished(result)), image: image))
        return sent + 1
    }

    /// The loop with nothing happening, on the release screen of a finished build.
    static func measureIdle(seconds: Double, images: [String?]) async throws -> Measurement {
        var console = releaseConsole(images: images)
        let digest = "sha256:" + String(repeating: "cd", count: 32)
        console.apply(images.flatMap { image in platforms.map { .platform($0, .finished(digest: digest, cached: true), image: image) } }, now: 0)
        let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [.idle(.seconds(seconds)), .input(.interrupted(signal: SIGTERM))])
        let cpuStart = Measure.cpuSeconds(), wallStart = ContinuousClock.now
        _ = try await ConsoleLoop().run(console, terminal: terminal, inbox: ConsoleInbox()) { _ in }
        var m = Measurement()
        m.seconds = Measure.seconds(ContinuousClock.now - wallStart)
        m.cpuPercent = (Measure.cpuSeconds() - cpuStart) / m.seconds * 100
        m.frames = await terminal.frames
        return m
    }
}
