import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The imagetools publisher with the stub docker, which does the registry work for real.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PublishImagetoolsTests {
    @Test func oneCreatePerRegistryWithEveryTagAndNoAppend() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64"])
            let log = try TemporaryDirectory(prefix: "gantry-stub-log")
            defer { log.remove() }
            let argsLog = log.url.appendingPathComponent("argv.jsonl")
            let publisher = ImagetoolsPublisher(
                client: scenario.client, docker: StubDocker.path, environment: ["GANTRY_STUB_ARGS_LOG": argsLog.path])
            let tags = ["5.0.0", "5.0", "5", "latest"]
            let recorder = try scenario.start(version: "5.0.0", tags: tags, sources: sources)
            let journal = try await scenario.publish(recorder, try await scenario.prepare(recorder, publisher: .imagetools), publisher: publisher)
            #expect(journal.phase == .verified)

            let lines = try String(contentsOf: argsLog, encoding: .utf8).split(separator: "\n")
            let invocations = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String] }
            #expect(invocations.count == 2)
            for repository in scenario.repositories {
                let runs = invocations.filter { $0.contains { $0.hasPrefix(repository.registry + "/") } }
                #expect(runs.count == 1, "one create for \(repository.registry)")
                let argv = try #require(runs.first)
                #expect(Array(argv.prefix(3)) == ["buildx", "imagetools", "create"])
                #expect(!argv.contains("--append"))
                let tagged = zip(argv, argv.dropFirst()).filter { $0.0 == "-t" }.map(\.1)
                #expect(tagged == tags.map { repository.with(tag: $0).description })
                #expect(Set(argv.filter { $0.contains("@sha256:") }) == Set(sources.map { "\(repository.name)@\($0.digest)" }))
            }
            let index = try #require(journal.publications.first?.indexDigest)
            for tag in tags {
                for reference in scenario.references(tag) {
                    #expect(try await Skopeo.digest(reference) == index)
                    #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"])
                }
            }
        }
    }
}
