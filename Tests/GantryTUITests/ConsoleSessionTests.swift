import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// `gantry` with no arguments as a maintainer keeps it open: several journeys in one
/// session, headless (the real loops, one scripted terminal) against a real registry.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ConsoleSessionTests {
    /// The project's journal of `version`, as it is on disk now.
    static func journal(_ project: DemoProject, _ version: String) -> ReleaseJournal? {
        let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
        let journals = (try? JournalStore(state: state).list())?.compactMap { try? $0.journal.get() } ?? []
        return journals.first { $0.version?.description == version }
    }

    @Test("Home → Release 1.0.0 → publish → Esc back: Home is live (image, config, the next version read from the registry, the journal listed) and a second release starts from it")
    func homeAfterARelease() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            let frames = ConsoleFrames()
            let typed: (String) -> [HeadlessTerminal.Step] = { text in text.map { .input(.key(.char($0))) } }
            let terminal = HeadlessTerminal(size: GridSize(width: 120, height: 40), script: [
                frames.wait(for: "Image gantry/demo"),
                .input(.key(.enter)), frames.wait(for: "New release"),
            ] + typed("1.0.0") + [
                .input(.key(.enter)), frames.wait(for: "· Pending tags ·"),
                .input(.key(.char("p"))), .input(.key(.enter)),
                .until(deadline: Patience.wait) { Self.journal(project, "1.0.0")?.phase == .verified },
                frames.wait(for: "Verified: every tag"),
                // Back through the release's screens to the first one, and from there Home.
                .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)),
                frames.wait(for: "Release 1.0.1"),
                .input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)), frames.wait(for: "1 journal(s)"),
                .input(.key(.escape)), .input(.key(.up)), .input(.key(.up)), .input(.key(.up)),
                .input(.key(.enter)), frames.wait(for: "New release"),
            ] + typed("1.0.1") + [
                .input(.key(.enter)), frames.wait(for: "Release · 1.0.1"), frames.wait(for: "· Pending tags ·"),
                .input(.key(.char("q"))),
            ])
            let environment = FlowEnvironment(
                state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), docker: StubDocker.path, credentials: .anonymous)
            let end = try await ConsoleSession.run(
                configPath: project.configPath, loadConfig: { try ReleaseConfigLoader.load(path: project.configPath) }, environment: environment,
                terminal: terminal)

            guard case .flow(let result) = end else {
                Issue.record("the session ended at Home (\(end)), not in the second release: \(await terminal.lastGrid?.render() ?? "")")
                return
            }
            #expect(result.outcome?.journal.version?.description == "1.0.1")
            #expect(result.outcome?.stage == .built, "q at the pending tags leaves 1.0.1 resumable")
            let home = frames.frame("Release 1.0.1")
            #expect(home.contains("Image gantry/demo") && home.contains("Config \(project.configPath)"), "\(home)")
            let journalList = frames.frame("1 journal(s)")
            let first = try #require(Self.journal(project, "1.0.0"))
            #expect(journalList.split(separator: "\n").contains { $0.contains(first.id.rawValue) && $0.contains("verified") }, "\(journalList)")
            let tags = try await RegistryProbe.tags(host: registry.host, repository: "gantry/demo")
            #expect(tags.contains("1.0.0") && tags.contains("latest") && !tags.contains("1.0.1"), "\(tags)")
        }
    }
}
