import Foundation
import GantryTestSupport
import Testing

/// The classic partial release: a tag overwritten by one platform. The audit finds it,
/// suggests pointing the tag back at the index the release published (`gantry tag`, guarded
/// by where the audit saw it), and the suggested command repairs it; run again once the tag
/// moved elsewhere, the same command refuses.
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
            let published = try #require((journal["publications"] as? [[String: Any]])?.first?["indexDigest"] as? String)
            let suggested = try #require(audit.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("gantry tag ") })
            #expect(suggested == "gantry tag \(host)/gantry/demo@\(published) latest --expect latest=\(digest)")

            // Run exactly what the audit suggested (add the state folder and --yes).
            let arguments = Array(suggested.split(separator: " ").dropFirst().map(String.init)) + ["--state-dir", project.stateDirectory, "--yes"]
            let repair = try await GantryBinary.run(arguments)
            #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
            #expect(repair.stdout.contains("latest") && repair.stdout.contains("tag "), "\(repair.stdout)")
            let clean = try await project.gantry(["audit", "--release-version", "1.0.0"])
            #expect(clean.status == 0, "\(clean.stdout)")
            try await ReleaseCommandTests.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries)
            #expect(try await Skopeo.digest("\(host)/gantry/demo:latest") == published)

            // latest moved elsewhere since (neither where the audit saw it nor the repair's index):
            // the same command refuses and leaves it there (exit 1).
            let arm64 = try #require(((journal["platforms"] as? [[String: Any]])?.first { $0["platform"] as? String == "linux/arm64" }?["result"] as? [String: Any])?["manifestDigest"] as? String)
            try await runTool("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(host)/gantry/demo@\(arm64)", "docker://\(host)/gantry/demo:latest"])
            let moved = try await GantryBinary.run(arguments)
            #expect(moved.status == 1, "\(moved.stdout)\(moved.stderr)")
            #expect(moved.stderr.contains("it moved since it was looked at"), "\(moved.stderr)")
            #expect(try await Skopeo.digest("\(host)/gantry/demo:latest") == arm64)
        }
    }
}
