import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// Home with a family config: it names the family's images, Release leaves Home for the
/// family's release (the session opens the family console, `FamilyConsoleTests`), and the
/// audit of a version lists every image's release tags side by side.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct FamilyHomeTests {
    @Test func homeNamesTheFamilyAndReleasesItWhole() async throws {
        try await withTemporaryDirectory { dir in
            // A closed loopback port: Home's tag listing fails at once, and no request leaves the machine.
            let port = try freeLoopbackPort()
            let path = try dir.write("gantry.yaml", """
                image: acme/app
                registries: [127.0.0.1:\(port)]
                platforms: [linux/amd64]
                images:
                  - variant: default
                  - image: acme/worker

                """)
            let config = try ReleaseConfigLoader.load(path: path)
            let frames = ConsoleFrames()
            let version: [HeadlessTerminal.Step] = "1.0.0".map { .input(.key(.char($0))) }
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [
                frames.wait(for: "Family 2 images: acme/app, acme/worker"), .input(.key(.enter))] + version + [.input(.key(.enter))])
            let state = StateDirectory(root: dir.url.appendingPathComponent("state"))
            let outcome = try await HomeConsole.run(config: config, configPath: path, state: state, terminal: terminal)
            #expect(outcome == .release(version: "1.0.0"), "Release left Home for the family's release")
            #expect(frames.frame("Family 2 images: acme/app, acme/worker").contains("confirm every image's tags at once"))
        }
    }

    /// Answers yes to the family's question.
    struct Yes: ReleaseInteraction {
        func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }
        func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer { .confirmed(.assumed(request.pending)) }
    }

    @Test func auditingAVersionListsEveryImageSideBySide() async throws {
        try await withFamilyFixture { fixture in
            let config = try fixture.config()
            let released = try await FamilyRelease.run(.release(config, try SemanticVersion.parse("1.2.3"), FamilyOptions()), in: fixture.environment(), interaction: Yes())
            #expect(released.succeeded)
            let frames = ConsoleFrames()
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 60), script: [
                frames.wait(for: "Family 3 images"), .input(.key(.down)), .input(.key(.enter))]
                + "1.2.3".map { .input(.key(.char($0))) } + [.input(.key(.enter)), frames.wait(for: "✓ no findings"), .input(.key(.escape)), .input(.key(.escape)), .input(.key(.char("q")))])
            _ = try await HomeConsole.run(config: config, configPath: fixture.configPath, state: fixture.state, terminal: terminal)
            let audit = frames.frame("✓ no findings")
            // Two repositories (the slim variant's tags are acme/app's) × two registries, each group named once.
            let rows = audit.split(separator: "\n").filter { $0.contains(fixture.proxies[0].host) || $0.contains(fixture.proxies[1].host) }
            #expect(rows.filter { $0.contains("✓") }.count == 24, "every image's tag in every registry is whole:\n\(audit)")
            #expect(audit.contains("acme/app") && audit.contains("acme/worker") && audit.contains("no findings"), "\(audit)")
            // Each row names its tag: the slim variant's are acme/app's too.
            #expect(rows.contains { $0.contains("1.2.3-slim") } && rows.contains { $0.contains(" slim ") }, "\(audit)")
        }
    }

    /// Journal → `b` on one image's journal of the second release: the preview lists every
    /// image's tags going back, Enter rolls the whole family back (as `gantry rollback` does).
    @Test func rollingBackAMemberFromTheJournalRollsTheFamilyBack() async throws {
        try await withFamilyFixture { fixture in
            let config = try fixture.config()
            for version in ["1.2.3", "1.3.0"] {
                let released = try await FamilyRelease.run(.release(config, try SemanticVersion.parse(version), FamilyOptions()), in: fixture.environment(), interaction: Yes())
                #expect(released.succeeded, "\(version)")
            }
            let hosts = fixture.proxies.map(\.host)
            let before = try await Skopeo.digest("\(hosts[0])/acme/worker:1.2.3")
            let frames = ConsoleFrames()
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 60), script: [
                frames.wait(for: "Family 3 images"), .input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)),
                frames.wait(for: "6 journal(s)"), .input(.key(.char("b"))), frames.wait(for: "Roll back 1.3.0?"),
                .input(.key(.enter)), frames.wait(for: "Rolled back the family"),
                .input(.key(.escape)), .input(.key(.escape)), .input(.key(.char("q"))),
            ])
            _ = try await HomeConsole.run(config: config, configPath: fixture.configPath, state: fixture.state, terminal: terminal)
            // Each member's row names its image and marks the family's, as `gantry journal list` does.
            let list = frames.frame("6 journal(s)")
            for image in ["acme/app ", "acme/app:slim", "acme/worker"] {
                #expect(list.split(separator: "\n").filter { $0.contains("release (family)") && $0.contains(image) }.count == 2, "\(image):\n\(list)")
            }
            let preview = frames.frame("Roll back 1.3.0?")
            #expect(preview.contains("acme/worker:latest") && preview.contains("acme/app:slim"), "every image's tags are in the preview:\n\(preview)")
            for host in hosts {
                #expect(try await Skopeo.digest("\(host)/acme/worker:latest") == Skopeo.digest("\(host)/acme/worker:1.2.3"))
                #expect(try await Skopeo.digest("\(host)/acme/app:latest") == Skopeo.digest("\(host)/acme/app:1.2.3"))
                #expect(try await Skopeo.digest("\(host)/acme/app:slim") == Skopeo.digest("\(host)/acme/app:1.2.3-slim"))
            }
            #expect(try await Skopeo.digest("\(hosts[0])/acme/worker:latest") == before)
        }
    }
}
