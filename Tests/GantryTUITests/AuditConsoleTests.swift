import Foundation
import GantryEngine
import GantryTestSupport
import GantryTUI
import Synchronization
import Testing

/// The audit screen driven headless against real registries, beside `gantry audit` on the
/// same state: a tag side by side in every configured registry, its findings, the same
/// verdict and the same repair as the CLI, and Enter on a finding running the engine's repair.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct AuditConsoleTests {
    @Test("latest a single amd64 manifest in A, whole in B: the CLI and the console give the same verdict and the same repair (gantry tag B@digest latest --to A); Enter on the drift says why there is none, Enter on not-an-index runs it and A's latest is back on B's digest")
    func consoleAndCLIGiveTheSameRepair() async throws {
        try await withRegistries(2) { registries in
            let (a, b) = (registries[0].host, registries[1].host)
            let project = try DemoProject(registries: [a, b], platforms: ["linux/amd64", "linux/arm64"])
            defer { project.remove() }
            let released = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            let journal = try #require(ReleaseConsoleTests.journal(project))
            // A last-finishing single-platform push overwrites latest in the first registry.
            let amd64 = try #require(journal[platform: try Platform.parse("linux/amd64")]?.result?.manifestDigest)
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                         "docker://\(a)/gantry/demo@\(amd64)", "docker://\(a)/gantry/demo:latest"])
            let whole = try await Skopeo.digest("\(b)/gantry/demo:latest")

            // The CLI's verdict and repair.
            let cli = try await project.gantry(["audit", "\(a)/gantry/demo:latest", "--json"])
            #expect(cli.status == 1, "findings exit 1: \(cli.stdout)\(cli.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
            let results = report["results"] as? [[String: Any]] ?? []
            let kinds = Dictionary(uniqueKeysWithValues: results.compactMap { result -> (String, [String])? in
                guard let registry = result["registry"] as? String else { return nil }
                return (registry, (result["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
            })
            #expect(Set(kinds[a] ?? []) == ["not-an-index", "missing-platform", "drift"] && kinds[b] == ["drift"], "\(kinds)")
            let command = try #require((report["repairs"] as? [[String: Any]])?.first?["command"] as? String)
            #expect(command == "gantry tag \(b)/gantry/demo@\(whole) latest --to \(a) --expect latest=\(amd64)")

            // The console on the same state. Home → Audit → "gantry/demo:latest" → Enter; Tab (the field
            // keeps the keyboard until then), G (the last finding: B's drift) → Enter; g → Enter opens the
            // tag flow's confirmation; Enter runs it.
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let audited = Kept(), refused = Kept(), asked = Kept(), done = Kept()
            let typed: [HeadlessTerminal.Step] = "gantry/demo:latest".map { .input(.key(.char($0))) }
            var script: [HeadlessTerminal.Step] = [.input(.key(.down)), .input(.key(.enter))] + typed
            // The field keeps the keyboard after the audit: the findings' repair shows once Tab selects them.
            // Tab once the findings are there (while the audit runs there are none, and Tab would skip them).
            let found = Kept()
            script += [.input(.key(.enter)), found.until { $0.contains("Audited") && $0.contains("✗") }]
            script += [.input(.key(.tab)), audited.until { $0.contains("↵ repair: gantry tag") }]
            script += [.input(.key(.char("G"))), .input(.key(.enter)), refused.until { $0.split(separator: "\n").last?.contains("no repair:") == true }]
            script += [.input(.key(.char("g"))), .input(.key(.enter)), asked.until { $0.contains("Move these tags?") }]
            script += [.input(.key(.enter)), done.until { $0.contains("Tagged and verified") }, .input(.key(.char("q")))]
            let terminal = HeadlessTerminal(size: GridSize(width: 300, height: 50), script: script)
            let outcome = try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal)
            #expect(outcome == .quit)

            // The same verdict: each registry's row counts the CLI's findings, every kind is listed.
            let side = audited.text
            let rows = side.split(separator: "\n").map(String.init)
            for (registry, found) in kinds {
                let row = try #require(rows.first { $0.contains(registry) && $0.contains("✗") }, "\(side)")
                #expect(row.contains("✗ \(found.count)"), "\(row)")
                for kind in found { #expect(side.contains(kind), "\(side)") }
            }
            // The same repair, word for word.
            #expect(side.contains("↵ repair: \(command) ("), "\(side)")
            let status = refused.text.split(separator: "\n").last ?? ""
            #expect(status.contains("no repair: \(b)/gantry/demo:latest lacks nothing"), "\(status)")
            let dialog = asked.text
            #expect(dialog.contains("Moves: latest") && dialog.contains("Enter move the tags"), "\(dialog)")

            // Run by the engine's tag flow from the console: A's latest is B's index again, B untouched.
            #expect(try await Skopeo.digest("\(a)/gantry/demo:latest") == whole)
            #expect(try await Skopeo.digest("\(b)/gantry/demo:latest") == whole)
            #expect(try await Skopeo.digest("\(a)/gantry/demo:1.0.0") == whole, "the other tags in A did not move")
            let tagged = try JournalStore(state: state).list().compactMap { try? $0.journal.get() }.filter { $0.kind == .tag }
            #expect(tagged.count == 1 && tagged.first?.phase == .verified, "\(tagged)")
            let clean = try await project.gantry(["audit", "\(a)/gantry/demo:latest"])
            #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        }
    }

    @Test("The reference field keeps the keyboard after an audit (typing, `/` too, is text), shows its focus, and typed text replaces the audited one; the old result is marked stale until the new audit replaces it; a bare tag and the image without a registry mean the configured image, as gantry audit reads them")
    func referenceFieldKeepsFocusAndMarksStaleResults() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            let released = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            let configured = "\(registry.host)/gantry/demo"
            // The CLI reads both spellings as the configured image in the configured registry.
            for text in ["latest", "gantry/demo:latest"] {
                let cli = try await project.gantry(["audit", text, "--json"])
                #expect(cli.status == 0, "\(text): \(cli.stdout)\(cli.stderr)")
                for field in ["\"registry\" : \"\(registry.host)\"", "\"repository\" : \"gantry/demo\"", "\"tag\" : \"latest\""] {
                    #expect(cli.stdout.contains(field), "\(text): \(cli.stdout)")
                }
            }

            let first = Kept(), typing = Kept(), second = Kept(), tabbed = Kept(), refocused = Kept()
            func type(_ text: String) -> [HeadlessTerminal.Step] { text.map { .input(.key(.char($0))) } }
            var script: [HeadlessTerminal.Step] = [.input(.key(.down)), .input(.key(.enter))] + type("latest")
            script += [.input(.key(.enter)), first.until { $0.contains("Audited \(configured):latest") && $0.contains("no findings") }]
            // Still in the field: the text typed replaces the audited one, `/` included, and the result is stale.
            script += type("gantry/demo:1.0.0") + [typing.until { $0.contains("gantry/demo:1.0.0▏") }]
            script += [.input(.key(.enter)), second.until { $0.contains("Audited \(configured):1.0.0") }]
            script += [.input(.key(.tab)), tabbed.until { !$0.contains("▶ Reference") }]
            // No findings: Tab goes field → tags → registries → field, where the text is selected and typing replaces it.
            script += [.input(.key(.tab)), .input(.key(.tab))] + type("latest")
            script += [refocused.until { $0.contains("▶ Reference latest▏") }, .input(.key(.ctrl("u"))), .input(.key(.escape)), .input(.key(.char("q")))]
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: script)
            #expect(try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) == .quit)

            let last = await terminal.lastGrid?.render() ?? ""
            for (step, kept) in [("first audit", first), ("typing", typing), ("second audit", second), ("Tab", tabbed), ("refocus", refocused)] {
                #expect(!kept.text.isEmpty, "the screen never showed the \(step) step's text; last screen:\n\(last)")
            }
            #expect(first.text.contains("▶ Reference latest"), "\(first.text)")
            let stale = typing.text
            #expect(stale.contains("▶ Reference gantry/demo:1.0.0▏") && !stale.contains("latestgantry"), "\(stale)")
            #expect(stale.contains("Stale: for latest"), "\(stale)")
            #expect(!second.text.contains("Stale:"), "\(second.text)")
        }
    }

    @Test("Recover → a → Enter on a tag move left at its confirmation continues it in Home, as the same tag flow: its dialog, Enter, latest moved")
    func recoverContinuesATagMove() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            for version in ["1.0.0", "1.0.1"] {
                let result = try await project.gantry(["release", version, "--no-tui", "--yes"])
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            }
            let repository = "\(registry.host)/gantry/demo"
            let (first, second) = (try await Skopeo.digest("\(repository):1.0.0"), try await Skopeo.digest("\(repository):latest"))
            let state = StateDirectory(root: URL(fileURLWithPath: project.stateDirectory))
            let request = try TagRequest(source: "\(repository)@\(first)", tags: ["latest"], expected: [TagExpectation(tag: "latest", digest: second)])
            let left = try await TagFlow.with(.tag(request), in: FlowEnvironment(state: state)) { try await $0.run(LeavingInteraction()) }
            #expect(left.stage == .built)

            let recovered = Kept(), asked = Kept(), done = Kept()
            let script: [HeadlessTerminal.Step] = [
                // Left at its confirmation, the tag move is not offered by default: `a` lists every journal.
                .input(.key(.down)), .input(.key(.down)), .input(.key(.enter)), .input(.key(.char("a"))), recovered.until { $0.contains(left.journal.id.rawValue) },
                .input(.key(.enter)), asked.until { $0.contains("Move these tags?") },
                .input(.key(.enter)), done.until { $0.contains("Tagged and verified") }, .input(.key(.char("q"))),
            ]
            let config = try ReleaseConfigLoader.load(path: project.configPath)
            let terminal = HeadlessTerminal(size: GridSize(width: 160, height: 40), script: script)
            #expect(try await HomeConsole.run(config: config, configPath: project.configPath, state: state, terminal: terminal) == .quit)
            #expect(asked.text.contains("Moves: latest"), "\(asked.text)")
            #expect(done.text.contains("journal \(left.journal.id)"), "\(done.text)")
            #expect(try await Skopeo.digest("\(repository):latest") == first)
            #expect(try JournalStore(state: state).load(left.journal.id).phase == .verified)
        }
    }
}

/// Leaves the confirmation undecided (the user quit there).
private struct LeavingInteraction: ReleaseInteraction {
    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }
    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer { .left }
}

/// The text of the first screen that satisfied a condition.
final class Kept: Sendable {
    private let kept = Mutex("")
    var text: String { kept.withLock { $0 } }

    /// Waits (bounded) until the screen satisfies `condition`, keeping that screen's text.
    func until(_ condition: @escaping @Sendable (String) -> Bool) -> HeadlessTerminal.Step {
        .untilScreen(deadline: Patience.wait) { grid in
            let text = grid.render()
            guard condition(text) else { return false }
            self.kept.withLock { $0 = text }
            return true
        }
    }
}
