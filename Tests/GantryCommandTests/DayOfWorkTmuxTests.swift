import Foundation
import GantryTestSupport
import Testing

/// The day of work of `DayOfWorkConsoleTests`, once on the real binary in tmux: one `gantry`
/// process, the stub `docker buildx` on its PATH, two real registries. release 1.0.0 → Home →
/// audit latest (broken in one registry) → repair → the audit read again → Home → Journal →
/// roll back → Home → release 1.1.0 with a platform failing once → R → publish → q; the
/// registries read by skopeo at the end.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct DayOfWorkTmuxTests {
    @Test("one gantry process in tmux survives a day: release, audit, repair, rollback, a failed platform retried and published; skopeo finds every tag whole and latest = 1.1.0 in both registries")
    func aDayOfWorkInTmux() async throws {
        try await DayOfWork.with { day in
            let (a, b) = (day.hosts[0], day.hosts[1])
            let project = day.project
            let session = try await TmuxSession(
                command: ConsoleReleaseTests.command(project, []), width: 160, height: 48,
                environment: ["PATH": StubDocker.searchPath].merging(day.stubEnvironment) { $1 })
            defer { session.close() }
            /// Replaces the field's text, as a user clearing it first.
            func type(_ text: String) async throws {
                try await session.send("C-u")
                try await session.send(text, literal: true)
            }
            /// Esc, then waits for the screen to change (a key sent on top of an Esc could be read as Alt+key).
            func escape() async throws {
                let before = try await session.capture()
                try await session.send("Escape")
                try await session.waitUntil("the screen after Esc") { $0 != before }
            }

            // 1. Release 1.0.0 from Home.
            try await session.waitFor("Image gantry/demo")
            try await session.send("Enter")
            try await session.waitFor("New release")
            try await type("1.0.0")
            try await session.send("Enter")
            try await session.waitFor("· Pending tags ·")
            try await session.send("p")
            try await session.waitFor("Publish 1.0.0?")
            try await session.send("Enter")
            try await session.waitFor("Verified: every tag")
            // 2. Back to Home, live: the next version read from the registries.
            for _ in 0..<6 where try await !session.capture().contains("gantry · Home") { try await escape() }
            let home = try await session.waitFor("Release 1.0.1")
            #expect(home.contains("Config \(project.configPath)"), "\(home)")

            // 3. latest broken in the first registry, audited from Home.
            _ = try await day.breakLatest(in: a)
            try await session.send("Down")
            try await session.send("Enter")
            try await session.waitFor("Reference")
            try await type("gantry/demo:latest")
            try await session.send("Enter")
            try await session.waitFor("not-an-index")
            // 4. The field keeps the keyboard: Tab selects the findings; the first one's repair runs here.
            try await session.send("Tab")
            let audit = try await session.waitFor("↵ repair: gantry tag")
            #expect(audit.split(separator: "\n").contains { $0.contains(a) && $0.contains("✗") }, "\(audit)")
            #expect(audit.contains("gantry tag \(b)/gantry/demo@"), "\(audit)")
            try await session.send("g")
            try await session.send("Enter")
            try await session.waitFor("Move these tags?")
            try await session.send("Enter")
            try await session.waitFor("Tagged and verified")
            // Back on the audit, read again: latest is whole in both registries.
            try await escape()
            try await session.waitFor("✓ no findings")

            // 5. Home, then the journal: the repair's tag move rolled back; the first release refused, with why.
            try await escape()
            try await session.waitFor("Release 1.0.1")
            for _ in 0..<3 { try await session.send("Down") }
            try await session.send("Enter")
            try await session.waitFor("2 journal(s)")
            try await session.send("b")
            try await session.waitFor("Roll back the tag move?")
            try await session.send("Enter")
            let rolledBack = try await session.waitFor("Rolled back")
            #expect(rolledBack.contains("every tag is back at its previous digest"), "\(rolledBack)")
            try await escape()
            try await session.waitFor("3 journal(s)")
            try await session.send("G")
            try await session.send("b")
            try await session.waitFor("only created tags (none existed before); a rollback deletes no tag")

            // 6. Home, then 1.1.0 with a platform failing once: R builds it again, then publish (typed: tags move).
            try await escape()
            try await session.waitFor("Release 1.0.1")
            for _ in 0..<3 { try await session.send("Up") }
            try await session.send("Enter")
            try await session.waitFor("New release")
            day.failNextBuild()
            try await type("1.1.0")
            try await session.send("Enter")
            try await session.waitFor("R builds the selected platform again")
            try await session.send("R")
            try await session.waitFor("· Pending tags ·")
            try await session.send("p")
            try await session.waitFor("Publish 1.1.0?")
            try await session.send("1.1.0", literal: true)
            try await session.send("Enter")
            try await session.waitFor("Verified: every tag")
            try await session.send("q")
            try await session.waitUntilExited()

            let problems = try await day.problems(latest: "1.1.0")
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
