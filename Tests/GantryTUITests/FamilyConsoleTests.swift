import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// A family (app, app:slim, worker) released in the console, headless (the real loop, a
/// scripted terminal), to two real registries with the buildx stand-in: a journey of a
/// release, a release whose worker fails, and its resume, each checked on the registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct FamilyConsoleTests {
    /// Runs `request` in the family console with `script`.
    static func console(_ request: FamilyRequest, _ fixture: FamilyFixture, stub: [String: String] = [:], script: [HeadlessTerminal.Step]) async throws -> ReleaseConsole.Result {
        let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: script)
        return try await FamilyConsole.run(request, in: fixture.environment(stub), terminal: terminal)
    }

    static func shows(_ text: String) -> HeadlessTerminal.Step {
        .untilScreen(deadline: Patience.wait) { $0.render().contains(text) }
    }

    @Test func releaseFailedReleaseAndResumeInTheConsole() async throws {
        try await withFamilyFixture { fixture in
            // 1. A release: the matrix grouped by image, one pending set naming each image, one confirmation.
            let frames = ConsoleFrames()
            let first = try await Self.console(
                .release(try fixture.config(), try SemanticVersion.parse("1.2.3"), FamilyOptions()), fixture,
                script: [frames.wait(for: "▾ acme/worker"), frames.wait(for: "review the pending tags of all 3 images"),
                         .input(.key(.char("p"))), Self.shows("Publish 1.2.3?"), .input(.key(.enter)),
                         frames.wait(for: "Verified: every tag of every image"), .input(.key(.char("q")))])
            let released = try #require(first.family)
            #expect(released.succeeded, "\(released.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" })")
            // Every image has its header line, in the config's order.
            let matrix = frames.frame("▾ acme/worker")
            let headers = matrix.split(separator: "\n").compactMap { line in line.range(of: "▾ ").map { String(line[$0.upperBound...].prefix { $0 != " " }) } }
            #expect(headers == ["acme/app", "acme/app:slim", "acme/worker"], "\(matrix)")
            let pending = frames.frame("review the pending tags of all 3 images")
            #expect(pending.contains("Image") && pending.contains("acme/app:slim") && pending.contains("acme/worker"), "the pending set names each image:\n\(pending)")
            let version = try SemanticVersion.parse("1.2.3")
            for reference in fixture.references(version) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }

            // 2. 1.3.0, its worker's build failing once: nothing asked, no tag moves, the status names the resume.
            let moving = fixture.references(version).filter { !$0.contains(":1.2.3") }
            let before = await fixture.digests(moving)
            let stub = ["GANTRY_STUB_FAIL_ONCE": fixture.directory.url.appendingPathComponent("failed-once").path, "GANTRY_STUB_FAIL_ONLY": "acme/worker"]
            let stopped = try await Self.console(
                .release(try fixture.config(), try SemanticVersion.parse("1.3.0"), FamilyOptions()), fixture, stub: stub,
                script: [frames.wait(for: "Not every image is published"), .input(.key(.char("R"))),
                         frames.wait(for: "a family is built and published whole"), .input(.key(.char("q")))])
            let failed = try #require(stopped.family)
            #expect(!failed.succeeded)
            // The status line wraps: the resume command is read with the line breaks taken out.
            let stoppedScreen = frames.frame("Not every image is published")
            #expect(stoppedScreen.filter { !$0.isWhitespace }.contains("acme/workercouldnotbe.Next:gantryresume\(failed.id)"), "\(stoppedScreen)")
            #expect(stoppedScreen.contains("▾ acme/worker           ✗ failed"), "the worker's header says it failed:\n\(stoppedScreen)")
            #expect(await fixture.digests(moving) == before, "no moving tag of any image moved")
            // R on the failed row says why one platform is not built again alone.
            #expect(frames.frame("a family is built and published whole").contains("gantry resume FAMILY-ID"))

            // 3. The resume, in the console: tags move, so the version is typed.
            let resumed = try await Self.console(
                .resume(failed.id), fixture, stub: stub,
                script: [Self.shows("review the pending tags of all 3 images"), .input(.key(.char("p"))), Self.shows("Publish 1.3.0?")]
                    + "1.3.0".map { .input(.key(.char($0))) }
                    + [.input(.key(.enter)), Self.shows("Verified: every tag of every image"), .input(.key(.char("q")))])
            #expect(resumed.family?.succeeded == true)
            for reference in try fixture.references(SemanticVersion.parse("1.3.0")) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
            let latest = try await Skopeo.digest("\(fixture.proxies[0].host)/acme/worker:latest")
            #expect(try await Skopeo.digest("\(fixture.proxies[0].host)/acme/worker:1.3.0") == latest)
        }
    }

    /// A signal (or `q`) once the family's set is confirmed waits for every image's tags: it
    /// never leaves the family half-published. The worker's `latest` PUT is slow, so the
    /// signal arrives while tags are moving.
    @Test func aSignalWhilePublishingWaitsForEveryImagesTags() async throws {
        try await withFamilyFixture { fixture in
            for proxy in fixture.proxies {
                proxy.arm([FaultInjectingProxy.Rule(method: "PUT", pathContains: "/acme/worker/manifests/latest", fault: .stall(.milliseconds(1500)))])
            }
            let result = try await Self.console(
                .release(try fixture.config(), try SemanticVersion.parse("1.2.3"), FamilyOptions()), fixture,
                script: [Self.shows("review the pending tags of all 3 images"), .input(.key(.char("p"))), Self.shows("Publish 1.2.3?"),
                         .input(.key(.enter)), .until(deadline: Patience.wait) { fixture.proxies.contains { $0.log.contains { $0.faulted } } },
                         .input(.interrupted(signal: SIGINT))])
            #expect(result.signal == SIGINT)
            #expect(result.family?.succeeded == true, "\(result.family?.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" } ?? [])")
            for reference in fixture.references(try SemanticVersion.parse("1.2.3")) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
        }
    }

    /// Esc at the family's question declines: nothing of any image is published, and the console says so.
    @Test func decliningPublishesNothingAndSaysSo() async throws {
        try await withFamilyFixture { fixture in
            let frames = ConsoleFrames()
            let result = try await Self.console(
                .release(try fixture.config(), try SemanticVersion.parse("1.2.3"), FamilyOptions()), fixture,
                script: [Self.shows("review the pending tags of all 3 images"), .input(.key(.char("p"))), Self.shows("Publish 1.2.3?"),
                         .input(.key(.escape)), frames.wait(for: "Declined: nothing of the family was published."), .input(.key(.char("q")))])
            #expect(result.family?.succeeded == false)
            for proxy in fixture.proxies {
                #expect(try await RegistryProbe.tags(host: proxy.host, repository: "acme/worker") == [])
            }
        }
    }
}
