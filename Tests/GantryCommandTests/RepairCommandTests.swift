import Foundation
import GantryTestSupport
import Testing

/// The classic partial release: a tag overwritten by one platform. The audit finds it,
/// suggests the repair from the release's journal, and the suggested command repairs it.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RepairCommandTests {
    @Test func auditSuggestsTheRepairAndPublishPerformsIt() async throws {
        try await withRegistries(1) { registries in
            let host = registries[0].host
            let project = try DemoProject(registries: [host])
            defer { project.remove() }
            let release = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(release.status == 0, "\(release.stderr)")

            // A last-finishing single-platform push overwrites the tag.
            let show = try await project.gantry(["journal", "list", "--json"])
            let id = try #require(((try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["releases"] as? [[String: Any]])?.first?["id"] as? String)
            let journal = try #require(try JSONSerialization.jsonObject(with: Data(try await project.gantry(["journal", "show", id, "--json"]).stdout.utf8)) as? [String: Any])
            let amd64 = try #require((journal["platforms"] as? [[String: Any]])?.first { $0["platform"] as? String == "linux/amd64" }?["result"] as? [String: Any])
            let digest = try #require(amd64["manifestDigest"] as? String)
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(host)/gantry/demo@\(digest)", "docker://\(host)/gantry/demo:latest"])

            let audit = try await project.gantry(["audit", "--release-version", "1.0.0"])
            #expect(audit.status == 1, "findings exit 1: \(audit.stdout)\(audit.stderr)")
            #expect(audit.stdout.contains("not-an-index"))
            #expect(audit.stdout.contains("missing-platform"))
            let suggested = try #require(audit.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("gantry publish \(id)") })

            // Run exactly what the audit suggested (it names the config; add the state folder and --yes).
            let arguments = Array(suggested.split(separator: " ").dropFirst().map(String.init)) + ["--state-dir", project.stateDirectory, "--no-tui", "--yes"]
            let repair = try await GantryBinary.run(arguments.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) })
            #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
            #expect(repair.stdout.contains("latest") && repair.stdout.contains("move"))
            let clean = try await project.gantry(["audit", "--release-version", "1.0.0"])
            #expect(clean.status == 0, "\(clean.stdout)")
            try await ReleaseCommandTests.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries)
        }
    }
}
