import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// A version's bytes never change silently: the index a release confirmed is journaled and
/// is what a resume and `gantry publish ID` push again; a new composition of a published
/// version is refused unless asked for; the revision is the release's own, and a dirty work
/// tree is recorded. Real registries, the buildx stand-in, skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct VersionBytesTests {
    /// Runs git in `directory`, with an identity of its own.
    @discardableResult
    func git(_ directory: URL, _ arguments: [String]) async throws -> String {
        try await runTool("git", ["-C", directory.path, "-c", "user.email=gantry@example.test", "-c", "user.name=Gantry Tests"] + arguments)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes the demo project a git repository (its state folder ignored) with one commit; returns HEAD.
    func commitProject(_ fixture: FlowFixture) async throws -> String {
        let root = fixture.project.directory.url
        try fixture.project.directory.write(".gitignore", "state/\n")
        try await git(root, ["init", "-q"])
        try await git(root, ["add", "-A"])
        try await git(root, ["commit", "-q", "-m", "demo"])
        return try await git(root, ["rev-parse", "HEAD"])
    }

    @Test("publishing a release again after HEAD moved pushes the index it confirmed: same digest, its own revision, no tag moves")
    func republishAfterHeadMoved() async throws {
        try await withFlowFixture { fixture in
            let first = try await commitProject(fixture)
            let released = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(released.stage == .verified)
            #expect(released.journal.settings?.revision == first && released.journal.settings?.workTreeDirty == false)
            let index = try #require(released.journal.index, "the confirmed index is journaled")
            let bytes = try #require(index.bytes)
            #expect(sha256Digest(bytes) == index.digest)
            #expect(try await Skopeo.rawManifest(fixture.references("1.0.0")[0]) == bytes, "the registry holds exactly the journaled bytes")

            // A new commit, and a minute later (a new `created`, were the index composed again).
            try fixture.project.directory.write("demo/NOTES", "after the release\n")
            try await git(fixture.project.directory.url, ["add", "-A"])
            try await git(fixture.project.directory.url, ["commit", "-q", "-m", "later"])
            #expect(try await git(fixture.project.directory.url, ["rev-parse", "HEAD"]) != first)
            var later = fixture.environment()
            later.now = { Date().addingTimeInterval(60) }
            let interaction = ScriptedInteraction()
            let journaled = try JournalSources.of(released.journal.id, in: fixture.state)
            let republished = try await ReleaseFlow.with(
                .republish(try fixture.config(), try SemanticVersion.parse("1.0.0"), journaled, FlowOptions()), in: later
            ) { try await $0.run(interaction) }
            #expect(republished.stage == .verified && republished.journal.kind == .publish)
            #expect(republished.journal.settings?.revision == first, "the revision is the release's own, not today's HEAD")
            let request = try #require(interaction.requests.first)
            #expect(request.pending.rows.allSatisfy { $0.change == .unchanged }, "\(request.pending.rows.map { "\($0.tag) \($0.change)" })")
            #expect(request.requirement == .yes)
            for tag in fixture.tags {
                for reference in fixture.references(tag) {
                    #expect(try await Skopeo.digest(reference) == index.digest, "\(reference)")
                }
            }
        }
    }

    @Test("a build published later gets the build's own annotations: its revision and creation time, not today's")
    func publishingABuildKeepsItsAnnotations() async throws {
        try await withFlowFixture(registries: 1, platforms: ["linux/amd64"]) { fixture in
            let first = try await commitProject(fixture)
            let built = try await ReleaseFlow.with(
                .build(try fixture.config(), try SemanticVersion.parse("1.0.0"), FlowOptions(), platforms: nil), in: fixture.environment()
            ) { try await $0.run(ScriptedInteraction()) }
            try fixture.project.directory.write("demo/NOTES", "after the build\n")
            try await git(fixture.project.directory.url, ["add", "-A"])
            try await git(fixture.project.directory.url, ["commit", "-q", "-m", "later"])
            var later = fixture.environment()
            later.now = { Date().addingTimeInterval(60) }
            let published = try await ReleaseFlow.with(
                .republish(try fixture.config(), try SemanticVersion.parse("1.0.0"), try JournalSources.of(built.journal.id, in: fixture.state), FlowOptions()),
                in: later
            ) { try await $0.run(ScriptedInteraction()) }
            #expect(published.stage == .verified)
            #expect(published.journal.settings?.annotations == built.journal.settings?.annotations)
            let index = try JSONSerialization.jsonObject(with: try await Skopeo.rawManifest(fixture.references("1.0.0")[0])) as? [String: Any]
            let annotations = index?["annotations"] as? [String: String]
            #expect(annotations?[AnnotationKey.revision] == first)
            #expect(annotations?[AnnotationKey.created] == built.journal.settings?.annotations?[AnnotationKey.created])
        }
    }

    @Test("a resume after a registry failed pushes the journaled bytes there (imagetools: the ones it wrote where it verified)", arguments: ["native", "imagetools"])
    func resumePushesTheConfirmedBytes(publisher: String) async throws {
        try await withRegistries(2) { registries in
            let proxy = try FaultInjectingProxy(upstreamPort: registries[1].port, rules: [])
            defer { proxy.stop() }
            let project = try DemoProject(
                registries: [registries[0].host, proxy.host], platforms: ["linux/amd64"], extra: ["builder": "buildx", "publisher": publisher])
            defer { project.remove() }
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            try await withRegistryClient { client in
                let environment = FlowEnvironment(state: state, docker: StubDocker.path, client: client)
                let request = FlowRequest.release(try ReleaseConfigLoader.load(path: project.configPath), try SemanticVersion.parse("1.0.0"), FlowOptions())
                // The second registry refuses the write of `latest` (every retry of it).
                proxy.arm([.init(method: "PUT", pathContains: "/manifests/latest", fault: .status(500), times: 100)])
                let failed = try await ReleaseFlow.with(request, in: environment) { try await $0.run(ScriptedInteraction()) }
                proxy.arm([])
                #expect(failed.stage == .failed && failed.journal[registry: proxy.host]?.state == .failed)
                let index = try #require(failed.journal.index)
                #expect(try await Skopeo.rawManifest("\(registries[0].host)/gantry/demo:1.0.0") == index.bytes, "what the first registry holds is journaled")
                let resumed = try await ReleaseFlow.with(.resume(failed.journal.id, config: nil), in: environment) { flow in
                    try await flow.run(ScriptedInteraction())
                }
                #expect(resumed.stage == .verified)
                #expect(resumed.journal.index == index, "the journaled index stays the confirmed one")
                for host in [registries[0].host, registries[1].host] {
                    for tag in ["1.0.0", "1.0", "1", "latest"] {
                        #expect(try await Skopeo.rawManifest("\(host)/gantry/demo:\(tag)") == index.bytes, "\(host) \(tag)")
                    }
                }
            }
        }
    }

    @Test("a new composition of a published version is refused without --allow-version-rewrite; with it, the version must be typed")
    func versionRewrite() async throws {
        try await withFlowFixture(platforms: ["linux/amd64"]) { fixture in
            let released = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            #expect(released.stage == .verified)
            let published = try await Skopeo.digest(fixture.references("1.0.0")[0])

            // The same version released again a minute later: another `created`, another index.
            var later = fixture.environment()
            later.now = { Date().addingTimeInterval(60) }
            let refusedAsk = ScriptedInteraction()
            let refused = try await ReleaseFlow.with(try fixture.release(), in: later) { try await $0.run(refusedAsk) }
            #expect(refused.stage == .refused && refused.journal.phase == .cancelled && refused.next == nil)
            let refusal = try #require(refused.refusal)
            guard case .versionRewrite(let rows) = refusal.cause else { Issue.record("refused for \(refusal.cause)"); return }
            #expect(Set(rows.map(\.tag)) == ["1.0.0"] && Set(rows.map(\.registry)) == Set(fixture.registries.map(\.host)))
            #expect(refusal.reason.contains("--allow-version-rewrite"), "\(refusal.reason)")
            #expect(refusedAsk.requests.isEmpty, "nothing was offered for confirmation")
            for reference in fixture.references("1.0.0") { #expect(try await Skopeo.digest(reference) == published) }

            // Allowed: the pending set warns, and confirming needs the version typed.
            var laterStill = fixture.environment()
            laterStill.now = { Date().addingTimeInterval(120) }
            let untyped = ScriptedInteraction { .confirmed(Confirmation(confirming: $0.pending)) }
            let notTyped = await #expect(throws: FlowRefusal.self) {
                try await ReleaseFlow.with(try fixture.release("1.0.0", FlowOptions(allowVersionRewrite: true)), in: laterStill) { try await $0.run(untyped) }
            }
            #expect(notTyped?.cause == .versionNotTyped("1.0.0"))
            let request = try #require(untyped.requests.first)
            #expect(request.requirement == .typedVersion("1.0.0"))
            #expect(request.pending.rows.filter { $0.tag == "1.0.0" }.allSatisfy { $0.warnings.contains { $0.kind == .versionRewrite } })
            for reference in fixture.references("1.0.0") { #expect(try await Skopeo.digest(reference) == published) }

            var lastly = fixture.environment()
            lastly.now = { Date().addingTimeInterval(180) }
            let typed = ScriptedInteraction { .confirmed(Confirmation(confirming: $0.pending, typedVersion: "1.0.0")) }
            let rewritten = try await ReleaseFlow.with(try fixture.release("1.0.0", FlowOptions(allowVersionRewrite: true)), in: lastly) {
                try await $0.run(typed)
            }
            #expect(rewritten.stage == .verified && rewritten.journal.settings?.allowVersionRewrite == true)
            let index = try #require(rewritten.journal.index)
            #expect(index.digest != published)
            for reference in fixture.references("1.0.0") { #expect(try await Skopeo.digest(reference) == index.digest) }
        }
    }

    @Test("a full-version tag a build's push overwrote with one platform is restored by publishing the release again: no rewrite")
    func overwrittenVersionTagIsRepaired() async throws {
        try await withFlowFixture(registries: 1) { fixture in
            let released = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { try await $0.run(ScriptedInteraction()) }
            let index = try #require(released.journal.index)
            let amd64 = try #require(released.journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            let host = fixture.registries[0].host
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(host)/gantry/demo@\(amd64)", "docker://\(host)/gantry/demo:1.0.0"])
            let interaction = ScriptedInteraction()
            let repaired = try await ReleaseFlow.with(
                .republish(try fixture.config(), try SemanticVersion.parse("1.0.0"), try JournalSources.of(released.journal.id, in: fixture.state), FlowOptions()),
                in: fixture.environment()
            ) { try await $0.run(interaction) }
            #expect(repaired.stage == .verified, "\(String(describing: repaired.refusal))")
            let row = try #require(interaction.requests.first?.pending.rows.first { $0.tag == "1.0.0" })
            #expect(row.change == .move && !row.warnings.contains { $0.kind == .versionRewrite })
            #expect(try await Skopeo.digest("\(host)/gantry/demo:1.0.0") == index.digest)
        }
    }

    @Test("a work tree with uncommitted changes is journaled and shown in the pending set")
    func dirtyWorkTree() async throws {
        try await withFlowFixture(registries: 1, platforms: ["linux/amd64"]) { fixture in
            let head = try await commitProject(fixture)
            try fixture.project.directory.write("demo/hello.txt", "changed, not committed\n")
            let interaction = ScriptedInteraction()
            let outcome = try await ReleaseFlow.with(try fixture.release(), in: fixture.environment()) { try await $0.run(interaction) }
            #expect(outcome.stage == .verified)
            #expect(outcome.journal.settings?.workTreeDirty == true && outcome.journal.settings?.revision == head)
            #expect(outcome.journal.history.contains { $0.message.contains("uncommitted changes") })
            let warnings = try #require(interaction.requests.first?.pending.warnings)
            #expect(warnings.map(\.kind) == [.dirtyWorkTree])
            #expect(warnings.first?.message.contains(String(head.prefix(12))) == true, "\(warnings)")
        }
    }
}
