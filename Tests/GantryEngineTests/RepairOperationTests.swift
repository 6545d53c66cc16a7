import Foundation
import GantryEngine
import Testing

/// A repair as a command and as a flow: the same words as before for the CLI, and a typed
/// refusal when the flow cannot be opened here.
@Suite(.timeLimit(.minutes(1))) struct RepairOperationTests {
    let state = StateDirectory(root: URL(fileURLWithPath: "/nonexistent/gantry-state"))
    let amd64 = try! Platform.parse("linux/amd64")

    @Test("each operation prints the command gantry audit suggests")
    func commands() throws {
        let id = try ReleaseID("demo-1")
        #expect(RepairOperation.resume(id).command == "gantry resume demo-1")
        #expect(RepairOperation.publishJournal(id, configPath: "/a b/gantry.yaml").command == "gantry publish demo-1 --config '/a b/gantry.yaml'")
        #expect(RepairOperation.publishDigests(version: "1.0.0", sources: [PlatformSource(platform: amd64, digest: "sha256:aa")]).command
            == "gantry publish --release-version 1.0.0 --digest linux/amd64=sha256:aa")
        #expect(RepairOperation.promote(version: "1.0.0", from: "b", to: ["a", "c"], configPath: "g.yaml").command
            == "gantry promote 1.0.0 --from b --config g.yaml --to a --to c")
    }

    @Test("publishing without a config, or with an unknown version, is refused with a typed error naming the command")
    func refusals() {
        let digests = RepairOperation.publishDigests(version: "VERSION", sources: [PlatformSource(platform: amd64, digest: "sha256:aa")])
        #expect(throws: RepairError(.needsConfig, "this repair needs the release config: pass --config PATH, or run \(digests.command)")) {
            try digests.releaseRequest(config: nil, state: state)
        }
        let promote = RepairOperation.promote(version: "VERSION", from: "b", to: ["a"], configPath: "g.yaml")
        #expect(throws: RepairError.self) { try promote.releaseRequest(config: nil, state: state) }
        #expect((try? RepairOperation.resume(try ReleaseID("demo-1")).releaseRequest(config: nil, state: state)) != nil, "a resume needs no config")
    }

    @Test("a tag repair prints gantry tag with its registries and expectations; bad input names the part that is wrong")
    func tagCommand() throws {
        let (d1, d2) = ("sha256:" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "b", count: 64))
        let across = try TagRequest(source: "a.example/acme/app@\(d1)", tags: ["latest", "1"], to: ["b.example"], expected: [
            TagExpectation(tag: "latest", digest: d2), TagExpectation(tag: "1", digest: nil),
        ])
        #expect(RepairOperation.tag(across).command == "gantry tag a.example/acme/app@\(d1) latest 1 --to b.example --expect latest=\(d2) --expect 1=absent")
        #expect(try TagRequest(source: "a.example/acme/app@\(d1)", tags: ["latest"]).command == "gantry tag a.example/acme/app@\(d1) latest")
        #expect(try TagExpectation(parsing: "stable=absent") == TagExpectation(tag: "stable", digest: nil))
        let refusals: [(TagError.Reason, () throws -> Void)] = [
            (.source, { _ = try TagRequest(source: "a.example/acme/app:latest", tags: ["latest"]) }),
            (.tags, { _ = try TagRequest(source: "a.example/acme/app@\(d1)", tags: []) }),
            (.tags, { _ = try TagRequest(source: "a.example/acme/app@\(d1)", tags: ["-bad"]) }),
            (.expectation, { _ = try TagRequest(source: "a.example/acme/app@\(d1)", tags: ["latest"], expected: [TagExpectation(tag: "1", digest: d2)]) }),
            (.expectation, { _ = try TagExpectation(parsing: "latest=sha256:short") }),
        ]
        for (reason, make) in refusals {
            #expect(throws: TagError.self) { try make() }
            do { try make() } catch let error as TagError { #expect(error.reason == reason, "\(error)") }
        }
    }
}
