import GantryEngine
import GantryTestSupport
import Synchronization
import Testing
@testable import GantryTUI

@Suite(.timeLimit(.minutes(1))) struct CoalescingTests {
    @Test("the pacer draws only dirty screens, at most 30 times a second")
    func pacer() {
        var pacer = FramePacer(maxFramesPerSecond: 30)
        #expect(!pacer.mayDraw(dirty: false, now: 0))
        #expect(pacer.mayDraw(dirty: true, now: 0))
        pacer.drew(at: 0)
        #expect(!pacer.mayDraw(dirty: true, now: 0.02))
        #expect(pacer.mayDraw(dirty: true, now: 0.034))
        #expect(abs(pacer.wait(dirty: true, now: 0.01, idle: 0.1) - (1.0 / 30 - 0.01)) < 1e-9)
        #expect(pacer.wait(dirty: false, now: 0.01, idle: 0.1) == 0.1)
    }

    @Test("many events mark the console dirty once and render once")
    func batch() {
        var console = Sample.console()
        _ = console.render(size: GridSize(width: 80, height: 24), now: 100)
        #expect(!console.isDirty)
        let platform = Sample.platforms[1]
        let before = console.state.release.rows[1].log.appended
        console.apply((0..<10_000).map { .platform(platform, .log("line \($0)")) }, now: 100.5)
        #expect(console.isDirty)
        #expect(console.state.release.rows[1].log.appended == before + 10_000)
        #expect(console.state.release.rows[1].log.count == 2000)
        _ = console.render(size: GridSize(width: 80, height: 24), now: 100.5)
        #expect(!console.isDirty)
    }

    @Test("the clock dirties the release screen once a second only while building")
    func clockTicks() {
        var console = Sample.console()
        console.apply([.show(.release)], now: 100)
        _ = console.render(size: GridSize(width: 80, height: 24), now: 100.2)
        console.tick(now: 100.9)
        #expect(!console.isDirty)
        console.tick(now: 101.0)
        #expect(console.isDirty)

        var idle = Sample.builtConsole()
        idle.apply([.platform(Sample.platforms[0], .finished(digest: Sample.digest("a"), cached: false))], now: 100)
        idle.apply([.show(.release)], now: 100)
        _ = idle.render(size: GridSize(width: 80, height: 24), now: 100)
        idle.tick(now: 105)
        #expect(!idle.isDirty)
    }

    @Test("the loop draws once and then nothing while idle")
    func idleLoopDoesNotDraw() async throws {
        let terminal = HeadlessTerminal(size: GridSize(width: 80, height: 24), script: [.idle(.milliseconds(400)), .input(.key(.char("q")))])
        let (outcome, _) = try await ConsoleLoop().run(Console(theme: .color), terminal: terminal, inbox: ConsoleInbox()) { _ in }
        #expect(outcome == .quit)
        #expect(await terminal.frames == 1)
        #expect(await terminal.isStopped)
    }

    @Test("a flood of events is coalesced: the backlog drains and frames stay under 30 a second")
    func floodIsCoalesced() async throws {
        let inbox = ConsoleInbox()
        var console = Console(theme: .color)
        console.apply([.release(ReleaseViewModel(header: Sample.header, rows: Sample.platforms.map { PlatformRow(platform: $0, builder: "local") })), .show(.release)], now: 0)
        let finished = Mutex(false)
        let producer = Task.detached {
            var n = 0
            let clock = ContinuousClock(), end = clock.now.advanced(by: .milliseconds(600))
            while clock.now < end {
                inbox.post(contentsOf: (0..<200).map { i in .platform(Sample.platforms[(n + i) % 6], .log("line \(n + i)")) })
                n += 200
                try? await Task.sleep(for: .milliseconds(2))
            }
            for p in Sample.platforms { inbox.post(.platform(p, .finished(digest: Sample.digest(p.slug), cached: false))) }
            finished.withLock { $0 = true }
            return n
        }
        let clock = ContinuousClock(), start = clock.now
        let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
            .until(deadline: Patience.wait) { finished.withLock { $0 } && inbox.backlog == 0 }, .idle(.milliseconds(100)),
            .input(.interrupted(signal: 15)),
        ])
        let (_, final) = try await ConsoleLoop().run(console, terminal: terminal, inbox: inbox) { _ in }
        let seconds = (clock.now - start).seconds
        let posted = await producer.value
        let applied = final.state.release.rows.reduce(0) { $0 + $1.log.appended }
        #expect(applied == posted)
        #expect(inbox.backlog == 0)
        let frames = await terminal.frames
        #expect(frames >= 2)
        #expect(Double(frames) <= seconds * 30 + 2, "\(frames) frames in \(seconds) s")
        #expect(final.state.release.allBuilt)
        #expect(await terminal.lastGrid?.render().contains("Platforms 6/6") == true)
    }

    @Test("a signal cancels builds and stops the terminal")
    func interrupted() async throws {
        let terminal = HeadlessTerminal(size: GridSize(width: 80, height: 24), script: [.input(.interrupted(signal: 2))])
        let intents = IntentLog()
        let (outcome, _) = try await ConsoleLoop().run(Sample.console(), terminal: terminal, inbox: ConsoleInbox()) { await intents.add($0) }
        #expect(outcome == .interrupted(signal: 2))
        #expect(await intents.all == [.cancelBuilds])
        #expect(await terminal.isStopped)
    }

    @Test("a resize relays out at the new size")
    func resize() async throws {
        let terminal = HeadlessTerminal(size: GridSize(width: 80, height: 24), script: [
            .idle(.milliseconds(50)), .input(.resized(GridSize(width: 60, height: 20))), .idle(.milliseconds(100)), .input(.key(.char("q"))),
        ])
        _ = try await ConsoleLoop().run(Sample.builtConsole(), terminal: terminal, inbox: ConsoleInbox()) { _ in }
        #expect(await terminal.lastGrid?.size == GridSize(width: 60, height: 20))
    }
}

actor IntentLog {
    private(set) var all: [ConsoleIntent] = []
    func add(_ i: ConsoleIntent) { all.append(i) }
    @Test("a burst of build events refreshes what the flow allows a few times on one consumer, not once per event; the last refresh sees the last event")
    func availabilityRefreshesCoalesce() async throws {
        let sink = ReleaseEventSink(inbox: ConsoleInbox())
        let platform = try Platform.parse("linux/amd64")
        let sent = Atomic<Int>(0)
        // refreshes so far, refreshes running at once (most), and the last event the newest refresh saw
        let seen = Mutex<(refreshes: Int, running: Int, most: Int, last: Int)>((0, 0, 0, 0))
        sink.onChange {
            seen.withLock { $0.running += 1; $0.most = max($0.most, $0.running) }
            let now = sent.load(ordering: .sequentiallyConsistent)
            try? await Task.sleep(for: .milliseconds(5))
            seen.withLock { $0.refreshes += 1; $0.running -= 1; $0.last = max($0.last, now) }
        }
        let burst = 2000
        for i in 1...burst {
            sent.store(i, ordering: .sequentiallyConsistent)
            sink.post(.build(BuildEvent(platform, .started(driver: "buildx", attempt: i))))
        }
        await sink.stop()
        let result = seen.withLock { $0 }
        #expect(result.refreshes >= 1 && result.refreshes < burst / 20, "\(result.refreshes) refreshes for \(burst) events")
        #expect(result.most == 1, "refreshes ran \(result.most) at once")
        #expect(result.last == burst, "the last refresh saw event \(result.last) of \(burst)")
    }
}
