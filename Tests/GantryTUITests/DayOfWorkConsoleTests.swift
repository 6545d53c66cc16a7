import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Testing

/// A day of work in ONE console session (headless: the real loops, a scripted terminal)
/// against two real registries: release 1.0.0 → Home → audit latest → latest broken in one
/// registry → repaired from the audit → Home → Journal → roll back → Home → release 1.1.0
/// with a platform failing once → R → publish → q. Each screen on the way is asserted, and
/// the registries with skopeo at the end.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct DayOfWorkConsoleTests {
    @Test("one console session survives a day: release, audit, repair, journal rollback, a release with a failed platform retried and published; every tag whole, latest = 1.1.0 in both registries")
    func aDayOfWork() async throws {
        try await DayOfWork.with { day in
            let (a, b) = (day.hosts[0], day.hosts[1])
            let project = day.project
            let frames = ConsoleFrames()
            // Each wait says on stdout what it waited for once it is over (and the screen, when it was not seen), so a stalled journey names its step.
            let said: (String) -> HeadlessTerminal.Step = { text in
                .untilScreen(deadline: .zero) { grid in
                    let seen = grid.render().contains(text)
                    print("day of work: \(seen ? "seen" : "NOT SEEN") \"\(text)\"" + (seen ? "" : "; the screen:\n\(grid.render())"))
                    return true
                }
            }
            let typed: (String) -> [HeadlessTerminal.Step] = { text in [.input(.key(.ctrl("u")))] + text.map { .input(.key(.char($0))) } }
            let journal: @Sendable (String) -> ReleaseJournal? = { ConsoleSessionTests.journal(project, $0) }
            let broken = BrokenLatest()
            var script: [HeadlessTerminal.Step] = [
                // 1. Release 1.0.0 from Home.
                frames.wait(for: "Image gantry/demo"), said("Image gantry/demo"),
                .input(.key(.enter)), frames.wait(for: "New release"), said("New release"),
            ]
            script += typed("1.0.0")
            script += [
                .input(.key(.enter)), frames.wait(for: "· Pending tags ·"), said("· Pending tags ·"),
                .input(.key(.char("p"))), .input(.key(.enter)),
                .until(deadline: Patience.wait) { journal("1.0.0")?.phase == .verified },
                frames.wait(for: "Verified: every tag"), said("Verified: every tag"),
                // 2. Back to Home: live (the next version read from the registries).
                .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)), .input(.key(.escape)),
                frames.wait(for: "Release 1.0.1"), said("Release 1.0.1"),
                // 3. Break latest in the first registry, then audit it from Home.
                .until(deadline: Patience.wait) { broken.run { try await day.breakLatest(in: a) } },
                .input(.key(.down)), .input(.key(.enter)),
            ]
            script += typed("gantry/demo:latest")
            script += [
                // The field keeps the keyboard after the audit; Tab selects the findings once they are shown.
                .input(.key(.enter)), frames.wait(for: "not-an-index"), said("not-an-index"),
                .input(.key(.tab)), frames.wait(for: "↵ repair: gantry tag"), said("↵ repair: gantry tag"),
                // 4. The first finding's repair (gantry tag) runs in the console.
                .input(.key(.char("g"))), .input(.key(.enter)), frames.wait(for: "Move these tags?"), said("Move these tags?"),
                .input(.key(.enter)), frames.wait(for: "Tagged and verified"), said("Tagged and verified"),
                // Back on the audit, read again: latest is whole in both registries now.
                .input(.key(.escape)), frames.wait(for: "✓ no findings"), said("✓ no findings"),
                // 5. Home, then the journal: roll back the repair's tag move.
                .input(.key(.escape)), frames.wait(for: "Release 1.0.1"), said("Release 1.0.1"),
                .input(.key(.down)), .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)), frames.wait(for: "2 journal(s)"), said("2 journal(s)"),
                .input(.key(.char("b"))), frames.wait(for: "Roll back the tag move?"), said("Roll back the tag move?"),
                .input(.key(.enter)), frames.wait(for: "Rolled back"), said("Rolled back"),
                // Esc closes the rollback's dialog: the journal list, read again, has the rollback too.
                .input(.key(.escape)), frames.wait(for: "3 journal(s)"), said("3 journal(s)"),
                // The first release only created tags: the engine refuses, the console says why.
                .input(.key(.char("G"))), .input(.key(.char("b"))), frames.wait(for: "only created tags"), said("only created tags"),
                // 6. Home, then release 1.1.0 with a platform failing once.
                .input(.key(.escape)), frames.wait(for: "Release 1.0.1"), said("Release 1.0.1"),
                .input(.key(.up)), .input(.key(.up)), .input(.key(.up)), .input(.key(.enter)), frames.wait(for: "New release"), said("New release"),
                .until(deadline: Patience.wait) { day.failNextBuild(); return true },
            ]
            script += typed("1.1.0")
            script += [
                .input(.key(.enter)),
                .until(deadline: Patience.wait) { journal("1.1.0")?.phase == .failed },
                frames.wait(for: "R builds the selected platform again"), said("R builds the selected platform again"),
                .input(.key(.char("R"))), frames.wait(for: "· Pending tags ·"), said("· Pending tags ·"),
                .input(.key(.char("p"))), frames.wait(for: "Publish 1.1.0?"), said("Publish 1.1.0?"),
            ]
            script += "1.1.0".map { .input(.key(.char($0))) }
            script += [
                .input(.key(.enter)),
                .until(deadline: Patience.wait) { journal("1.1.0")?.phase == .verified },
                frames.wait(for: "Verified: every tag"), said("Verified: every tag"),
                .input(.key(.char("q"))),
            ]
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 48), script: script)
            let environment = FlowEnvironment(
                state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)), docker: StubDocker.path,
                environment: day.stubEnvironment, credentials: .anonymous)
            let end = try await ConsoleSession.run(
                configPath: project.configPath, loadConfig: { try ReleaseConfigLoader.load(path: project.configPath) },
                environment: environment, terminal: terminal)
            let last = await terminal.lastGrid?.render() ?? ""
            guard case .flow(let result) = end else {
                Issue.record("the session ended at Home (\(end)), not in release 1.1.0: \(last)")
                return
            }
            #expect(result.outcome?.journal.version?.description == "1.1.0")
            #expect(result.outcome?.stage == .verified, "\(last)")

            // Home after the first release: image, config, the next version, the release listed.
            let home = frames.frame("Release 1.0.1")
            #expect(home.contains("Image gantry/demo") && home.contains("Config \(project.configPath)"), "\(home)")
            // The audit: the broken registry's row has findings, the repair is gantry tag from the other.
            let audit = frames.frame("↵ repair: gantry tag")
            #expect(audit.split(separator: "\n").contains { $0.contains(a) && $0.contains("✗") }, "\(audit)")
            #expect(audit.contains("not-an-index") && audit.contains("gantry tag \(b)/gantry/demo@"), "\(audit)")
            #expect(frames.frame("Move these tags?").contains("Moves: latest"), "\(frames.frame("Move these tags?"))")
            // The journal: the tag move rolled back, then the first release refused with its reason.
            let list = frames.frame("2 journal(s)")
            #expect(list.contains("tag") && list.contains("1.0.0") && list.contains("verified"), "\(list)")
            #expect(frames.frame("Rolled back").contains("every tag is back at its previous digest"), "\(frames.frame("Rolled back"))")
            #expect(frames.frame("only created tags").contains("only created tags (none existed before); a rollback deletes no tag"),
                    "\(frames.frame("only created tags"))")
            // The failed platform, retried: its journal records the second build.
            #expect(result.outcome?.journal.history.filter { $0.message.hasPrefix("building linux/amd64") }.count ?? 0 >= 2,
                    "\(result.outcome?.journal.history.map(\.message) ?? [])")

            // The registries, read by skopeo: every tag an index of both platforms, latest = 1.1.0 in both.
            let problems = try await day.problems(latest: "1.1.0")
            #expect(problems.isEmpty, "\(problems)")
            #expect(broken.done, "latest was broken in \(a) before the audit")
        }
    }
}

/// Runs an async step once from a synchronous script condition; true once it finished.
final class BrokenLatest: @unchecked Sendable {
    private let lock = NSLock()
    private var started = false
    private(set) var done = false
    private var failure: String?

    func run(_ work: @escaping @Sendable () async throws -> String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if let failure { Issue.record("breaking latest failed: \(failure)"); return true }
        if done { return true }
        if !started {
            started = true
            Task {
                do { _ = try await work(); self.finish(nil) } catch { self.finish("\(error)") }
            }
        }
        return false
    }

    private func finish(_ failure: String?) {
        lock.lock(); defer { lock.unlock() }
        if let failure { self.failure = failure } else { done = true }
    }
}
