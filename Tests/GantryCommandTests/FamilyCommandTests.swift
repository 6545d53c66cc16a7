import Foundation
import GantryTestSupport
import Testing

/// `config/family.yaml` (an app, its slim variant and a worker) released with the real
/// binary and buildah to two real registries: one release, one journal entry, a second
/// release, a rollback of the whole family, and a member that never resumes alone.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct FamilyCommandTests {
    /// The example config pointed at `registries`, in a folder of its own.
    struct ExampleFamily {
        let directory: TemporaryDirectory
        var config: String { directory.url.appendingPathComponent("family.yaml").path }
        var state: String { directory.url.appendingPathComponent("state").path }

        init(registries: [String]) throws {
            directory = try TemporaryDirectory(prefix: "gantry-family-cli")
            let root = GantryBinary.repositoryRoot().appendingPathComponent("config")
            try FileManager.default.copyItem(at: root.appendingPathComponent("demo"), to: directory.url.appendingPathComponent("demo"))
            let text = try String(contentsOf: root.appendingPathComponent("family.yaml"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("registries:") ? "registries: [\(registries.joined(separator: ", "))]" : String($0) }
                .joined(separator: "\n")
            _ = try directory.write("family.yaml", text)
        }

        /// `gantry ARGUMENTS` with this state folder and (`withConfig`) this config.
        func gantry(_ arguments: [String], withConfig: Bool = true) async throws -> GantryBinary.Result {
            try await GantryBinary.run(arguments + (withConfig ? ["--config", config] : []) + ["--state-dir", state])
        }
    }

    /// The `outcome` line of a `--json` run.
    func outcome(_ result: GantryBinary.Result) throws -> [String: Any] {
        let lines = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return try #require(lines.last { $0["event"] as? String == "outcome" }, "\(result.stdout)\(result.stderr)")
    }

    @Test func theExampleFamilyReleasesListsAsOneAndRollsBackAsOne() async throws {
        try await withRegistries(2) { registries in
            let family = try ExampleFamily(registries: registries.map(\.host))
            defer { family.directory.remove() }
            let lines = [("gantry/app", ""), ("gantry/app", "-slim"), ("gantry/worker", "")]
            /// Every line's tags in every registry: `version`'s own, or (nil) the ones 1.0.0 and 1.1.0 share (`1`, `latest`…).
            func references(_ version: String?) -> [String] {
                registries.flatMap { registry in
                    lines.flatMap { image, suffix in
                        let tags = version.map { v in [v, String(v.prefix(3))].map { $0 + suffix } } ?? ["1" + suffix, suffix.isEmpty ? "latest" : String(suffix.dropFirst())]
                        return tags.map { "\(registry.host)/\(image):\($0)" }
                    }
                }
            }

            let first = try await family.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("gantry/app:slim: "), "each member's lines carry its name")
            #expect(first.stdout.contains("every image published and verified"))
            for reference in references("1.0.0") + references(nil) {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm64"], "\(reference)")
            }
            let before = try await Skopeo.digests(references(nil))

            let list = try await family.gantry(["journal", "list"])
            let rows = list.stdout.split(separator: "\n").filter { $0.contains("(family)") }
            #expect(rows.count == 1, "\(list.stdout)")
            #expect(rows.first?.contains("gantry/app, gantry/app:slim, gantry/worker") == true, "\(list.stdout)")

            let familyID = try #require(rows.first?.split(separator: " ").first.map(String.init))
            let shown = try await family.gantry(["journal", "show", familyID])
            #expect(shown.status == 0 && shown.stdout.contains("== gantry/app:slim =="), "\(shown.stdout)\(shown.stderr)")

            let second = try await family.gantry(["release", "1.1.0", "--no-tui", "--yes", "--json"])
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let id = try #require(try outcome(second)["family"] as? String)
            let events = second.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(events.contains { $0["member"] as? String == "gantry/worker" && $0["event"] as? String == "finished" }, "each build event names its image")
            let pending = try #require(events.first { $0["event"] as? String == "pending" }?["pending"] as? [String: Any])
            #expect((pending["rows"] as? [[String: Any]])?.count == 3 * 2 * 4, "one pending set of every image's tags")
            #expect(try await Skopeo.digests(references(nil)) != before, "1.1.0 moved the shared tags")

            // A member's id goes on as its whole family: resume (nothing left to do) and rollback.
            let memberID = try #require(((try outcome(second)["members"] as? [[String: Any]])?.first?["id"]) as? String)
            let resume = try await family.gantry(["resume", memberID, "--no-tui", "--yes"], withConfig: false)
            #expect(resume.status == 0, "\(resume.stdout)\(resume.stderr)")
            #expect(resume.stdout.contains("family \(id): every image published and verified"), "\(resume.stdout)")
            let rollback = try await family.gantry(["rollback", memberID, "--yes"], withConfig: false)
            #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
            #expect(rollback.stdout.contains("rollback of the family \(id)"), "a member's id rolls back its whole family")
            #expect(try await Skopeo.digests(references(nil)) == before, "latest, 1, slim… of every image are back at 1.0.0")
        }
    }

    /// The real binary's console in tmux, as a maintainer opens it: Home names the family,
    /// Release 1.0.0 builds every image × platform grouped by image, one confirmation
    /// publishes every image, and back at Home the next version is read from the registries.
    @Test func theConsoleReleasesTheFamilyFromHomeAndComesBackToALiveHome() async throws {
        try await withRegistries(2) { registries in
            let family = try ExampleFamily(registries: registries.map(\.host))
            defer { family.directory.remove() }
            let command = [GantryBinary.url.path, "--config", family.config, "--state-dir", family.state].map { "'\($0)'" }.joined(separator: " ")
            let session = try await TmuxSession(command: command, width: 140, height: 45)
            defer { session.close() }
            try await session.waitFor("Family 3 images: gantry/app, gantry/app:slim, gantry/worker")
            try await session.send("Enter")
            try await session.waitFor("New release")
            try await session.send("C-u")
            try await session.send("1.0.0", literal: true)
            try await session.send("Enter")
            let matrix = try await session.waitFor("▾ gantry/worker")
            #expect(matrix.contains("▾ gantry/app:slim") && matrix.contains("Images 3"), "\(matrix)")
            let pending = try await session.waitFor("review the pending tags of all 3 images")
            #expect(pending.contains("gantry/app:slim") && pending.contains("1.0.0-slim"), "\(pending)")
            try await session.send("p")
            try await session.waitFor("Publish 1.0.0?")
            try await session.send("Enter")
            try await session.waitFor("Verified: every tag of every image")
            for registry in registries {
                for reference in ["gantry/app:1.0.0", "gantry/app:latest", "gantry/app:1.0.0-slim", "gantry/app:slim", "gantry/worker:1.0.0", "gantry/worker:latest"] {
                    #expect(try await skopeoPlatforms("\(registry.host)/\(reference)") == ["linux/amd64", "linux/arm64"], "\(reference)")
                }
            }
            // Back at Home, live: the family's next version, read from the app's own line (not 1.0.0-slim's).
            for _ in 0..<4 where try await !session.capture().contains("gantry · Home") {
                let before = try await session.capture()
                try await session.send("Escape")
                try await session.waitUntil("the screen after Esc") { $0 != before }
            }
            try await session.waitFor("Release 1.0.1")
            try await session.send("q")
            try await session.waitUntilExited()
        }
    }

    /// Released to a staging registry, then promoted to the two configured ones as one
    /// family: every image's tags there point at the very indexes staging holds.
    @Test func aFamilyReleasedToStagingIsPromotedWhole() async throws {
        try await withRegistries(3) { registries in
            let staging = try ExampleFamily(registries: [registries[0].host])
            defer { staging.directory.remove() }
            let released = try await staging.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")

            let production = try ExampleFamily(registries: [registries[1].host, registries[2].host])
            defer { production.directory.remove() }
            let promoted = try await production.gantry(["promote", "1.0.0", "--from", registries[0].host, "--no-tui", "--yes", "--json"])
            #expect(promoted.status == 0, "\(promoted.stdout)\(promoted.stderr)")
            #expect(try outcome(promoted)["succeeded"] as? Bool == true)
            for reference in ["gantry/app:1.0.0", "gantry/app:latest", "gantry/app:1.0.0-slim", "gantry/app:slim", "gantry/worker:1.0.0", "gantry/worker:1"] {
                let staged = try await Skopeo.digest("\(registries[0].host)/\(reference)")
                for registry in registries.dropFirst() {
                    #expect(try await Skopeo.digest("\(registry.host)/\(reference)") == staged, "\(registry.host)/\(reference)")
                }
            }
            let list = try await production.gantry(["journal", "list"], withConfig: false)
            #expect(list.stdout.contains("promote (family)") && list.stdout.contains("gantry/app, gantry/app:slim, gantry/worker"), "\(list.stdout)")
        }
    }

    /// The audit of a family whose release is missing in one registry proposes, per image, the
    /// promotion of that image only (`--only`); run, it moves that image's tags and no other's.
    @Test func anAuditsRepairPromotesOnlyTheImageWhoseTagsItRepairs() async throws {
        try await withRegistries(2) { registries in
            let (a, b) = (registries[0].host, registries[1].host)
            let staging = try ExampleFamily(registries: [a])
            defer { staging.directory.remove() }
            let released = try await staging.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")

            let both = try ExampleFamily(registries: [a, b])
            defer { both.directory.remove() }
            let audit = try await both.gantry(["audit", "--release-version", "1.0.0", "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any], "\(audit.stdout)\(audit.stderr)")
            let commands = (report["repairs"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String }
            let worker = try #require(commands.first { $0.hasSuffix("--only gantry/worker") }, "\(commands)")
            #expect(commands.count == 3 && commands.allSatisfy { $0.contains("gantry promote 1.0.0 --from \(a)") && $0.contains("--to \(b)") }, "\(commands)")

            let words = worker.split(separator: " ").dropFirst().map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            let repaired = try await both.gantry(Array(words) + ["--no-tui", "--yes"], withConfig: false)
            #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
            #expect(try await skopeoPlatforms("\(b)/gantry/worker:1.0.0") == ["linux/amd64", "linux/arm64"])
            #expect(try await Skopeo.digest("\(b)/gantry/worker:latest") == Skopeo.digest("\(a)/gantry/worker:latest"))
            #expect(try await RegistryProbe.tags(host: b, repository: "gantry/app") == [], "the app's tags are not the worker's repair")
        }
    }
}
