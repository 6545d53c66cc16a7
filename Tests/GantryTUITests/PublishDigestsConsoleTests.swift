import Foundation
import GantryEngine
import GantryTestSupport
import Testing
@testable import GantryTUI

/// Journal → D: a CI run's digests published from the console. The driver reads the paths and
/// looks the digests up in a real registry before the publish flow takes over, so mistakes
/// are said in the console.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PublishDigestsConsoleTests {
    @Test("D opens the dialog; the version and the paths typed go to the driver; fewer than two words says what to type; Esc closes")
    func dialogKeys() {
        var console = Console(theme: .monochrome)
        for key in [Key.down, .down, .down, .enter, .char("D")] { _ = console.handle(key) }
        #expect(console.activeScreen == .publishDigestsPrompt)
        for ch in "1.2.0" { _ = console.handle(.char(ch)) }
        #expect(console.handle(.enter) == [])
        #expect(console.status == "Type the version, then one or more paths.")
        for ch in " /tmp/ci/digests /tmp/more" { _ = console.handle(.char(ch)) }
        #expect(console.handle(.enter) == [.publishDigests(version: "1.2.0", paths: ["/tmp/ci/digests", "/tmp/more"])])
        #expect(console.activeScreen == .journal)
        _ = console.handle(.char("D"))
        #expect(console.render(size: GridSize(width: 80, height: 24), now: 0).render().contains("Publish digests"))
        _ = console.handle(.escape)
        #expect(console.activeScreen == .journal)
    }

    @Test("a missing path is said in the console, which stays open; a digests folder leaves the console with the platforms to publish")
    func digestsFolderFromTheConsole() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let built = try await project.builtDigests("1.0.0").map(\.digest)
            #expect(built.count == 2)
            for digest in built { try project.directory.write("digests/digests-\(digest.suffix(6))/\(digest)", "") }
            let folder = project.directory.url.appendingPathComponent("digests").path
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let type = { (text: String) in text.map { HeadlessTerminal.Step.input(.key(.char($0))) } }
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script:
                [.input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)), .input(.key(.char("D")))]
                + type("1.0.0 /nonexistent/digests") + [.input(.key(.enter))]
                + [.untilScreen(deadline: Patience.wait) { $0.render().contains("/nonexistent/digests: no such file or folder") }]
                + [.input(.key(.char("D")))] + type("1.0.0 \(folder)") + [.input(.key(.enter))])
            let outcome = try await HomeConsole.run(config: config, configPath: project.configPath,
                                                    state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), terminal: terminal)
            guard case .publish(let version, let sources) = outcome else {
                Issue.record("the console ended with \(outcome), not a publish")
                return
            }
            #expect(version == "1.0.0")
            #expect(Set(sources.map(\.digest)) == Set(built))
            #expect(Set(sources.map(\.platform.description)) == ["linux/amd64", "linux/arm64"])
        }
    }

    @Test("the digests are looked up off the key loop: while a slow registry answers, the console draws what it is doing; then the publish takes over")
    func lookupsDoNotHoldTheKeyLoop() async throws {
        try await withRegistry { registry in
            let builder = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { builder.remove() }
            let built = try await builder.builtDigests("1.0.0").map(\.digest)
            // The slow registry under test: every answer takes a second.
            let proxy = try LatencyProxy(upstreamPort: registry.port, delay: .seconds(1))
            defer { proxy.stop() }
            let project = try DemoProject(registries: [proxy.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            for digest in built { try project.directory.write("digests/\(digest)", "") }
            let folder = project.directory.url.appendingPathComponent("digests").path
            let frames = ConsoleFrames()
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script:
                [.input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)), .input(.key(.char("D")))]
                + "1.0.0 \(folder)".map { .input(.key(.char($0))) } + [.input(.key(.enter)), frames.wait(for: "Reading 1 path(s)")])
            let outcome = try await HomeConsole.run(
                config: try ReleaseConfigLoader.load(path: project.configPath), configPath: project.configPath,
                state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), terminal: terminal)
            #expect(frames.frame("Reading 1 path(s)").contains("looking its digests up in the registries"), "the console drew while the lookups ran")
            guard case .publish(_, let sources) = outcome else {
                Issue.record("the console ended with \(outcome), not a publish")
                return
            }
            #expect(sources.map(\.digest) == built)
        }
    }
}
