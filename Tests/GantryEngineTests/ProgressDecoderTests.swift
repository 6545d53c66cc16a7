import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The rawjson, plain and buildah progress decoders.
@Suite(.timeLimit(.minutes(1))) struct ProgressDecoderTests {
    func decode(_ lines: [String]) -> (events: [BuildEvent.Kind], decoder: RawJSONProgressDecoder) {
        var decoder = RawJSONProgressDecoder()
        var events: [BuildEvent.Kind] = []
        for line in lines { decoder.feed(line: Array(line.utf8)) { events.append($0) } }
        decoder.finish { events.append($0) }
        return (events, decoder)
    }

    func fixture(_ name: String) throws -> [String] {
        let url = GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/progress/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return Array(text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init))
    }

    @Test func compactUpdatesBecomeStepByteAndLogEvents() {
        let (events, _) = decode((0..<8).map { SyntheticProgress.line($0, steps: 2) })
        let step1 = BuildStep(index: 1, total: 2, name: "RUN make step1")
        let step2 = BuildStep(index: 2, total: 2, name: "RUN make step2")
        #expect(events == [
            .stepStarted(step1), .log("compiling unit 1 of the build"), .bytes(id: "pushing layer sha256:2", current: 2, total: 1_048_576), .stepFinished(step1),
            .stepStarted(step2), .log("compiling unit 5 of the build"), .bytes(id: "pushing layer sha256:6", current: 6, total: 1_048_576), .stepFinished(step2),
        ])
    }

    @Test func prettyPrintedObjectsDecodeLikeCompactOnes() throws {
        let compact = (0..<40).map { SyntheticProgress.line($0) }
        let pretty = try compact.flatMap { try SyntheticProgress.prettyPrinted($0).split(separator: "\n").map(String.init) }
        #expect(pretty.count > compact.count * 3)
        #expect(decode(pretty).events == decode(compact).events)
    }

    @Test func nonJSONLinesBecomeMessagesAndTheErrorIsKept() {
        let failing = #"{"vertexes":[{"digest":"sha256:1","name":"[stage-0 2/3] RUN make","started":"2024-01-01T00:00:00Z","error":"exit code: 2"}]}"#
        let lines = [
            SyntheticProgress.line(0),
            "WARNING: No output specified with docker-container driver",
            SyntheticProgress.line(1),
            "time=\"2024-01-01\" level=info msg=\"not json\"",
            failing,
            "ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
        ]
        let (events, decoder) = decode(lines)
        #expect(events.contains(.warning("WARNING: No output specified with docker-container driver")))
        #expect(events.contains(.log("time=\"2024-01-01\" level=info msg=\"not json\"")))
        #expect(events.contains(.stepFailed(BuildStep(index: 2, total: 3, name: "RUN make"), error: "exit code: 2")))
        #expect(decoder.failedStep == BuildStep(index: 2, total: 3, name: "RUN make"))
        #expect(decoder.errorMessage?.hasPrefix("failed to solve: process") == true)
    }

    @Test func goEscapesAndUnknownFieldsAreHandled() {
        let line = #"{"vertexes":[{"digest":"sha256:9","inputs":["a"],"name":"[stage-0 1/1] RUN echo \u003cok\u003e \u0026 \"q\" \ud83d\ude80","started":"2024-01-01T00:00:00Z","progressGroup":{"id":"g","weak":true},"cached":false}],"extra":[1,2.5e3,null,{"x":[]}]}"#
        let (events, _) = decode([line])
        #expect(events == [.stepStarted(BuildStep(index: 1, total: 1, name: "RUN echo <ok> & \"q\" 🚀"))])
    }

    @Test func aTruncatedFinalLineIsAMessageNotACrash() {
        let whole = SyntheticProgress.line(0)
        let cut = String(SyntheticProgress.line(3).prefix(40))
        let (events, _) = decode([whole, cut])
        #expect(events.first == .stepStarted(BuildStep(index: 1, total: 10, name: "RUN make step1")))
        #expect(events.last == .log(cut))
        #expect(events.count == 2)
    }

    @Test func aHundredThousandUpdateStreamYieldsEveryEvent() {
        var decoder = RawJSONProgressDecoder()
        var counts: [String: Int] = [:]
        for i in 0..<100_000 {
            decoder.feed(line: Array(SyntheticProgress.line(i, steps: 10).utf8)) { counts[BuildEvent(Platform(os: "linux", architecture: "amd64"), $0).name, default: 0] += 1 }
        }
        // Every fourth update is a vertex start, a log, a status or a completion; vertex ids repeat never.
        #expect(counts == ["stepStarted": 25_000, "log": 25_000, "bytes": 25_000, "stepFinished": 25_000])
    }

    @Test func buildahStepsBecomeStepEvents() {
        let output = [
            "STEP 1/3: FROM scratch", "STEP 2/3: COPY hello.txt /", "--> Using cache 5f0c", "STEP 3/3: LABEL a=b",
            "COMMIT gantry-local/app:1", "--> 9a8b7c", "Successfully tagged gantry-local/app:1",
        ]
        var decoder = BuildahProgressDecoder()
        var events: [BuildEvent.Kind] = []
        for line in output { decoder.feed(line: line) { events.append($0) } }
        let steps = (1...3).map { BuildStep(index: $0, total: 3, name: ["FROM scratch", "COPY hello.txt /", "LABEL a=b"][$0 - 1]) }
        #expect(events.filter { if case .log = $0 { false } else { true } } == [
            .stepStarted(steps[0]), .stepFinished(steps[0]), .stepStarted(steps[1]), .stepCached(steps[1]),
            .stepStarted(steps[2]), .stepFinished(steps[2]),
        ])
    }

    @Test func eventsRoundTripThroughJSON() throws {
        let platform = try Platform.parse("linux/arm/v7")
        let events: [BuildEvent] = [
            BuildEvent(platform, .queued),
            BuildEvent(platform, .stepFailed(BuildStep(index: 2, total: 5, name: "RUN make"), error: "exit 2")),
            BuildEvent(platform, .bytes(id: "layer", current: 5, total: nil)),
            BuildEvent(platform, .finished(BuildResult(platform: platform, manifestDigest: "sha256:" + String(repeating: "a", count: 64), presence: ["127.0.0.1:5000/app": true]))),
            BuildEvent(platform, .failed(BuildFailure(platform: platform, step: nil, message: "boom", recentLog: ["a", "b"]))),
        ]
        for event in events {
            let data = try JSONEncoder().encode(event)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["event"] as? String == event.name)
            #expect(object["platform"] as? String == "linux/arm/v7")
            #expect(try JSONDecoder().decode(BuildEvent.self, from: data) == event)
        }
    }
}
