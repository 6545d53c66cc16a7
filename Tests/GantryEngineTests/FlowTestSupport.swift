import Foundation
import GantryEngine
import GantryTestSupport
import Synchronization
import Testing

/// The demo project built with the buildx stand-in (real pushes underneath) against real
/// registries, run in-process through `ReleaseFlow`.
struct FlowFixture {
    let project: DemoProject
    let registries: [RegistryServer]
    let client: RegistryClient

    var state: StateDirectory { StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)) }
    var store: JournalStore { JournalStore(state: state) }
    var tags: [String] { ["1.0.0", "1.0", "1", "latest"] }

    func config() throws -> ReleaseConfig { try ReleaseConfigLoader.load(path: project.configPath) }

    /// Where flows run: the buildx stand-in with `stub` settings, the shared client.
    func environment(_ stub: [String: String] = [:]) -> FlowEnvironment {
        FlowEnvironment(state: state, docker: StubDocker.path, environment: stub, client: client)
    }

    /// `host/gantry/demo:tag` in every registry.
    func references(_ tag: String) -> [String] { registries.map { "\($0.host)/gantry/demo:\(tag)" } }

    /// Releases 1.0.0 of the demo to registry `index` alone (a staging registry) with
    /// `platforms`, journaled in a state folder of its own; returns that config's path.
    func releaseAlone(in index: Int, platforms: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let text = try String(contentsOfFile: project.configPath, encoding: .utf8)
            .split(separator: "\n").map { line in
                if line.hasPrefix("registries:") { return "registries: [\(registries[index].host)]" }
                if line.hasPrefix("platforms:") { return "platforms: [\(platforms.joined(separator: ", "))]" }
                return String(line)
            }.joined(separator: "\n")
        let path = try project.directory.write("alone-\(index).yaml", text + "\n")
        var elsewhere = environment()
        elsewhere.state = StateDirectory(root: project.directory.url.appendingPathComponent("state-\(index)"))
        let request = FlowRequest.release(try ReleaseConfigLoader.load(path: path), try SemanticVersion.parse("1.0.0"), FlowOptions())
        let released = try await ReleaseFlow.with(request, in: elsewhere) { try await $0.run(ScriptedInteraction()) }
        #expect(released.stage == .verified, "the release to \(registries[index].host) alone", sourceLocation: sourceLocation)
        return path
    }

    /// A release request of `version` with `options`.
    func release(_ version: String = "1.0.0", _ options: FlowOptions = FlowOptions()) throws -> FlowRequest {
        .release(try config(), try SemanticVersion.parse(version), options)
    }
}

/// Runs `body` with `count` registries and the demo project releasing to them with the buildx stand-in.
func withFlowFixture<T>(
    registries count: Int = 2, platforms: [String] = ["linux/amd64", "linux/arm64"], publisher: String = "native",
    extra: [String: String] = [:], _ body: (FlowFixture) async throws -> T
) async throws -> T {
    try await withRegistries(count) { registries in
        let project = try DemoProject(
            registries: registries.map(\.host), platforms: platforms, extra: ["builder": "buildx", "publisher": publisher].merging(extra) { $1 })
        defer { project.remove() }
        // The buildx stand-in fails a platform at a RUN step: give the demo one.
        try project.directory.write("demo/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
        return try await withRegistryClient { client in
            try await body(FlowFixture(project: project, registries: registries, client: client))
        }
    }
}

/// Answers the flow from a script and records what it was asked, like a user at the console.
final class ScriptedInteraction: ReleaseInteraction, Sendable {
    struct Log: Sendable {
        var refusals: [FlowRefusal] = []
        var requests: [ConfirmationRequest] = []
    }

    private let blocked: Mutex<[BlockedAnswer]>
    private let answer: @Sendable (ConfirmationRequest) -> ConfirmationAnswer
    private let log = Mutex(Log())

    /// `blocked` answers each "cannot publish" in turn (then stop); `answer` answers the pending set.
    init(blocked: [BlockedAnswer] = [], answer: @escaping @Sendable (ConfirmationRequest) -> ConfirmationAnswer = { .confirmed(.assumed($0.pending)) }) {
        self.blocked = Mutex(blocked)
        self.answer = answer
    }

    var refusals: [FlowRefusal] { log.withLock { $0.refusals } }
    var requests: [ConfirmationRequest] { log.withLock { $0.requests } }

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        log.withLock { $0.refusals.append(refusal) }
        return blocked.withLock { $0.isEmpty ? .stop : $0.removeFirst() }
    }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        log.withLock { $0.requests.append(request) }
        return answer(request)
    }
}

/// Collects a flow's events.
final class EventLog: Sendable {
    private let events = Mutex<[ReleaseEvent]>([])
    func record(_ event: ReleaseEvent) { events.withLock { $0.append(event) } }
    var all: [ReleaseEvent] { events.withLock { $0 } }

    /// The build events of kind `name` (`finished`, `reused`, `failed`...), by platform.
    func builds(_ name: String) -> [Platform] {
        all.compactMap { if case .build(let e) = $0, e.name == name { e.platform } else { nil } }
    }
}

/// Expects every tag in every registry of `fixture` to be one index of exactly `platforms` (skopeo as oracle).
func expectWhole(_ fixture: FlowFixture, tags: [String], platforms: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for tag in tags {
        for reference in fixture.references(tag) {
            #expect(try await skopeoPlatforms(reference) == platforms.sorted(), "\(reference)", sourceLocation: sourceLocation)
        }
    }
}

extension RepairOperation {
    /// The release flow the repair runs as; throws when it is a tag move (`TagFlow`).
    func releaseRequest(config: ReleaseConfig?, state: StateDirectory) throws -> FlowRequest {
        guard case .release(let request) = try flow(config: config, state: state) else { throw TagError(.source, "\(command) runs as a tag flow") }
        return request
    }
}
