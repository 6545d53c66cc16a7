import GantryEngine
import Testing
@testable import GantryTUI

@Suite(.timeLimit(.minutes(1))) struct ReleaseStateTests {
    let platform = Sample.platforms[1]

    func apply(_ events: [(Double, TUIEvent.BuildProgress)]) -> PlatformRow {
        var state = ReleaseState()
        for (t, e) in events { state.apply(.platform(platform, e), now: t) }
        return state.release.rows[0]
    }

    @Test("a build moves through queued, building, pushing and done, with steps and elapsed time")
    func happyPath() {
        let digest = Sample.digest("arm64")
        var row = apply([(0, .queued)])
        #expect(row.state == .queued && row.elapsed(now: 5) == nil)
        row = apply([(0, .queued), (2, .started(builder: "arm-box")), (3, .step(index: 2, total: 5, name: "RUN make"))])
        #expect(row.state == .building && row.builder == "arm-box")
        #expect(row.stepsDone == 1 && row.stepsTotal == 5 && row.currentStep == "RUN make")
        #expect(row.elapsed(now: 12.5) == 10)
        row = apply([(2, .started(builder: "b")), (3, .step(index: 2, total: 5, name: "RUN make")), (4, .stepDone(index: 2, total: 5)),
                     (5, .pushing), (6, .transfer(current: 1_500_000, total: 3_000_000)), (7, .pushed(digest: digest)),
                     (9, .finished(digest: digest, cached: false))])
        #expect(row.state == .done && row.stepsDone == 5 && row.digest == digest)
        #expect(row.elapsed(now: 100) == 7)
    }

    @Test("one log line per step: a step the builder reports started, then cached, is one CACHED line")
    func cachedStepIsOneLine() {
        let copy = BuildStep(index: 2, total: 4, name: "COPY hello.txt /hello.txt")
        let label = BuildStep(index: 3, total: 4, name: "LABEL title=demo")
        let kinds: [BuildEvent.Kind] = [.stepStarted(copy), .stepCached(copy), .stepStarted(label), .log("output of the label step"), .stepCached(label)]
        let row = apply([(0, .started(builder: "b"))] + kinds.flatMap { BuildEventPresenter.progress(for: $0) }.map { (1, $0) })
        #expect(row.log.window(count: 10, fromEnd: 0) == [
            "CACHED 2/4 COPY hello.txt /hello.txt", "LABEL title=demo", "output of the label step", "CACHED 3/4 LABEL title=demo",
        ])
        #expect(row.stepsDone == 3)
    }

    @Test("transfers show in the step column while pushing")
    func transfer() {
        let row = apply([(0, .started(builder: "b")), (1, .pushing), (2, .transfer(current: 1_500_000, total: 3_000_000))])
        #expect(row.state == .pushing && row.currentStep == "pushing 1.5 MB of 3.0 MB")
    }

    @Test("failures, warnings and cancellation end up in the row and its log")
    func failures() {
        var row = apply([(0, .started(builder: "b")), (1, .warning("deprecated \u{1B}[1mflag")), (2, .failed("exit 1"))])
        #expect(row.state == .failed && row.failure == "exit 1" && row.currentStep == "exit 1")
        #expect(row.log.window(count: 2, fromEnd: 0) == ["warning: deprecated flag", "error: exit 1"])
        row = apply([(0, .started(builder: "b")), (3, .cancelled)])
        #expect(row.state == .cancelled && row.elapsed(now: 50) == 3)
        row = apply([(0, .finished(digest: Sample.digest("c"), cached: true))])
        #expect(row.state == .cached)
    }

    @Test("events for a platform the plan did not list add a row")
    func unknownPlatform() {
        var state = ReleaseState(release: ReleaseViewModel(header: Sample.header, rows: [PlatformRow(platform: Sample.platforms[0], builder: "local")]))
        state.apply(.platform(Sample.platforms[3], .queued), now: 0)
        state.apply(.platform(Sample.platforms[0], .started(builder: "local")), now: 0)
        #expect(state.release.rows.map(\.platform) == [Sample.platforms[0], Sample.platforms[3]])
        #expect(state.release.rows[0].state == .building)
    }

    @Test("the log keeps the newest lines and scrolls back")
    func logBuffer() {
        var log = LogBuffer(capacity: 3)
        for i in 1...5 { log.append("\(i)") }
        #expect(log.count == 3 && log.appended == 5)
        #expect(log.window(count: 2, fromEnd: 0) == ["4", "5"])
        #expect(log.window(count: 2, fromEnd: 1) == ["3", "4"])
        #expect(log.window(count: 5, fromEnd: 9) == [])
    }

    @Test("elapsed times format in at most six columns")
    func elapsedFormat() {
        #expect(formatElapsed(42) == "42s")
        #expect(formatElapsed(65) == "1m05s")
        #expect(formatElapsed(3 * 3600 + 7 * 60) == "3h07m")
        #expect(formatBytes(999) == "999 B")
        #expect(formatBytes(31_400_000) == "31.4 MB")
    }

    @Test("the publish screen counts each registry's time in its phase and says when one has not answered for 10 s")
    func silentRegistry() {
        let row = { (phase: PublishViewModel.RegistryRow.Phase) in PublishViewModel.RegistryRow(registry: "ghcr.io", phase: phase, done: 0, total: 4) }
        var console = Sample.builtConsole()
        console.apply([.show(.publish), .publish(PublishViewModel(registries: [row(.copying)], verifications: []))], now: 100)
        console.apply([.publish(PublishViewModel(registries: [row(.copying)], verifications: []))], now: 104)
        #expect(console.state.publish.registries[0].since == 100, "an unchanged phase keeps its start")
        let quiet = console.render(size: GridSize(width: 120, height: 40), now: 106).render()
        #expect(quiet.contains("6s") && !quiet.contains("no answer"))
        let silent = console.render(size: GridSize(width: 120, height: 40), now: 115).render()
        #expect(silent.contains("no answer for 15s"), "\(silent)")
        console.apply([.publish(PublishViewModel(registries: [row(.verifying)], verifications: []))], now: 116)
        #expect(console.state.publish.registries[0].since == 116, "a new phase starts the count again")
    }
}
