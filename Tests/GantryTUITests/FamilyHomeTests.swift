import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// Home with a family config: it names the family's images, and Release leaves Home for
/// the family's release (the session opens the family console, `FamilyConsoleTests`).
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
}
