import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The command log's source: a flow's events carry every write, read-back and command it made.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ActivityLogTests {
    @Test("a release's events carry its commands, the index pushed by digest, every tag PUT and every read-back, in every registry")
    func releaseEventsCarryTheWrites() async throws {
        try await withFlowFixture { fixture in
            let log = EventLog()
            let outcome = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment(), events: log.record) {
                try await $0.run(ScriptedInteraction())
            }
            #expect(outcome.stage == .verified)
            let activities = log.all.compactMap { if case .activity(let activity) = $0 { activity } else { nil } }
            let commands = activities.compactMap { if case .command(let line) = $0.kind { line } else { nil } }
            #expect(commands.filter { $0.contains("buildx build") }.count == 2, "\(commands)")
            for publication in outcome.journal.publications {
                let repository = "\(publication.registry)/gantry/demo"
                let index = try #require(publication.indexDigest)
                #expect(activities.contains { $0.kind == .manifestPush(repository: repository, digest: index) }, "\(repository)")
                for tag in fixture.tags {
                    #expect(activities.contains { $0.kind == .tagWrite(repository: repository, tag: tag, digest: index) }, "\(repository):\(tag)")
                    #expect(activities.contains { $0.kind == .readBack(repository: repository, tag: tag, digest: index, ok: true) }, "\(repository):\(tag)")
                }
            }
            // A tag is read back only once it was written.
            let firstWrite = activities.firstIndex { if case .tagWrite = $0.kind { true } else { false } }
            let firstReadBack = activities.firstIndex { if case .readBack = $0.kind { true } else { false } }
            #expect(try #require(firstWrite) < #require(firstReadBack))
        }
    }
}
