import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// The console has no family screens yet: Home's Release of a family config names the
/// command that releases it, and starts nothing (no image is released alone).
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct FamilyHomeTests {
    @Test func releasingAFamilyFromHomeNamesThePlainCommand() async throws {
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
            let message = "releases a family of images: run `gantry release 1.0.0 --no-tui`"
            let version: [HeadlessTerminal.Step] = "1.0.0".map { .input(.key(.char($0))) }
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: [
                frames.wait(for: "Config \(path)"), .input(.key(.enter))] + version + [
                .input(.key(.enter)), frames.wait(for: message), .input(.key(.escape)), .input(.key(.char("q"))),
            ])
            let state = StateDirectory(root: dir.url.appendingPathComponent("state"))
            let outcome = try await HomeConsole.run(config: config, configPath: path, state: state, terminal: terminal)
            #expect(outcome == .quit, "Release did not leave Home for a release screen")
            #expect(!frames.frame(message).isEmpty)
            #expect(try JournalStore(state: state).summaries().isEmpty, "nothing was started")
        }
    }
}
