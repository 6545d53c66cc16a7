import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Ids typed on the command line name a release of the state folder and nothing else, and
/// what a registry echoes never prints a secret, through the real binary.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct StateFilesCommandTests {
    @Test("resume, rollback and journal show refuse an id that is a path, naming it; nothing outside the state folder is read")
    func anIDThatIsAPathIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let state = dir.url.appendingPathComponent("home/state").path
            // What `releases/../../outside/ID` would reach from the state folder.
            try dir.write("home/outside/ID/journal.json", #"{"format": "gantry.release-journal/v1", "id": "ID"}"#)
            for id in ["../../../../etc", "../../outside/ID"] {
                for command in [["resume", id], ["rollback", id, "--yes"], ["journal", "show", id]] {
                    let run = try await GantryBinary.run(command + ["--state-dir", state])
                    #expect(run.status == 2, "\(command): \(run.stdout)\(run.stderr)")
                    #expect(run.stderr.contains("\"\(id)\" is not a release id"), "\(command): \(run.stderr)")
                    #expect(!run.stderr.contains("journal.json"), "\(command): \(run.stderr)")
                }
            }
        }
    }

    @Test("resume and rollback refuse a lock file replaced by a symlink and leave the file it points to as it was")
    func aSymlinkedLockIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let state = StateDirectory(root: dir.url.appendingPathComponent("state"))
            let journal = try JournalStore(state: state).create(ReleaseJournal(
                id: try ReleaseID("app-1.2.3-20261130T000000Z"), kind: .release, image: "acme/app", version: try SemanticVersion.parse("1.2.3"),
                registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: ["1.2.3"], expectedPlatforms: [try Platform.parse("linux/amd64")]))
            let victim = URL(fileURLWithPath: try dir.write("precious.txt", "precious"))
            try FileManager.default.createSymbolicLink(at: state.release(journal.id).lock, withDestinationURL: victim)
            for command in [["resume", journal.id.rawValue, "--yes", "--no-tui"], ["rollback", journal.id.rawValue, "--yes"]] {
                let run = try await GantryBinary.run(command + ["--state-dir", state.root.path])
                #expect(run.status != 0, "\(command): \(run.stdout)\(run.stderr)")
                #expect(run.stderr.contains("it is not a regular file"), "\(command): \(run.stderr)")
                #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")
            }
        }
    }

    @Test("a Basic value of a short password a registry echoes in a 403 is printed nowhere, plain or --json")
    func echoedBasicValueIsRedactedInOutput() async throws {
        let (user, password) = ("bob", "q~z")
        let basic = Data("\(user):\(password)".utf8).base64EncodedString()
        try await withRegistry(auth: .basic(user: user, password: password)) { registry in
            try await withHostileRegistry(in: registry, tricks: [.echoAuthorization(pathContaining: "/tags/list")]) { hostile in
                try await withTemporaryDirectory { dir in
                    try dir.write("docker/config.json", #"{"auths":{"\#(hostile.host)":{"auth":"\#(basic)"}}}"#)
                    for json in [false, true] {
                        let run = try await GantryBinary.run(
                            ["audit", "\(hostile.host)/acme/app", "--tags"] + (json ? ["--json"] : []),
                            environment: ["DOCKER_CONFIG": dir.path + "/docker"])
                        let output = run.stdout + run.stderr
                        #expect(run.status != 0)
                        #expect(output.contains("[redacted]"), "\(output)")
                        #expect(!output.contains(basic) && !output.contains(password), "\(output)")
                    }
                }
            }
        }
    }
}
