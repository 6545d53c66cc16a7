import Foundation
import GantryTestSupport
import Testing

/// `gantry journal list|dismiss` on the real binary, with a release that failed at a platform
/// (unfinished, resumable) and one that was verified.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct JournalCommandTests {
    func releases(_ project: DemoProject, _ extra: [String] = []) async throws -> [[String: Any]] {
        let list = try await project.gantry(["journal", "list", "--json"] + extra)
        #expect(list.status == 0, "\(list.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        return object?["releases"] as? [[String: Any]] ?? []
    }

    /// The stub buildx, failing linux/arm64 at its RUN step.
    static let failingArm64 = ["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64", "PATH": StubDocker.searchPath]

    /// Releases `version` of `project` with linux/arm64 failing: exit 1, the journal unfinished.
    static func releaseFailingArm64(_ version: String, _ project: DemoProject, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try project.directory.write("demo/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n")
        let failed = try await project.gantry(["release", version, "--no-tui", "--yes"], environment: failingArm64)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)", sourceLocation: sourceLocation)
    }

    @Test("journal dismiss abandons an unfinished release (nothing deleted), refuses a finished one and a bad id by name, exit 1; list --image filters by image")
    func dismissAndFilter() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64", "linux/arm64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            try await JournalCommandTests.releaseFailingArm64("1.0.0", project)
            let verified = try await project.gantry(["release", "1.0.1", "--no-tui", "--yes", "--allow-partial", "linux/arm64"], environment: Self.failingArm64)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            let listed = try await releases(project)
            let unfinished = try #require(listed.first { $0["version"] as? String == "1.0.0" }?["id"] as? String)
            let finished = try #require(listed.first { $0["version"] as? String == "1.0.1" }?["id"] as? String)

            let dismissed = try await project.gantry(["journal", "dismiss", unfinished, finished, "../elsewhere"])
            #expect(dismissed.status == 1, "a refused id makes the exit status 1")
            #expect(dismissed.stdout.contains("\(unfinished): dismissed"), "\(dismissed.stdout)")
            #expect(dismissed.stderr.contains(finished) && dismissed.stderr.contains("already"), "\(dismissed.stderr)")
            #expect(dismissed.stderr.contains("../elsewhere"), "\(dismissed.stderr)")
            let after = try await releases(project)
            #expect(after.count == 2, "nothing is deleted")
            #expect(after.first { $0["id"] as? String == unfinished }?["phase"] as? String == "abandoned")
            #expect(after.first { $0["id"] as? String == finished }?["phase"] as? String == "verified")

            #expect(try await releases(project, ["--image", "gantry/demo"]).count == 2)
            #expect(try await releases(project, ["--image", "acme/other"]).isEmpty)
        }
    }
}

/// The standing `journal list` shows, and what `gantry resume` takes without an id.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct JournalStandingCommandTests {
    @Test("journal list notes a failed 1.0.0 superseded by a verified 1.0.0 and does not offer it; resume without an id skips it, with its id resumes it")
    func supersededNotOffered() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64", "linux/arm64"], extra: ["builder": "buildx"])
            defer { project.remove() }
            try await JournalCommandTests.releaseFailingArm64("1.0.0", project)
            let first = try await JournalCommandTests().releases(project)
            #expect(first.count == 1 && first[0]["note"] as? String == "unfinished" && first[0]["offeredForResume"] as? Bool == true, "\(first)")
            let failedID = try #require(first[0]["id"] as? String)

            let verified = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes", "--allow-partial", "linux/arm64"], environment: JournalCommandTests.failingArm64)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            let listed = try await JournalCommandTests().releases(project)
            let verifiedID = try #require(listed.first { $0["id"] as? String != failedID }?["id"] as? String)
            let superseded = try #require(listed.first { $0["id"] as? String == failedID })
            #expect(superseded["note"] as? String == "superseded by \(verifiedID)" && superseded["offeredForResume"] as? Bool == false, "\(superseded)")
            #expect(listed.first { $0["id"] as? String == verifiedID }?["note"] as? String == "finished")
            let table = try await project.gantry(["journal", "list"])
            #expect(table.stdout.contains("NOTE") && table.stdout.contains("superseded by \(verifiedID)"), "\(table.stdout)")

            let none = try await project.gantry(["resume", "--no-tui", "--yes"], environment: JournalCommandTests.failingArm64)
            #expect(none.status != 0 && none.stderr.contains("no unfinished release"), "\(none.stdout)\(none.stderr)")
            #expect(none.stderr.contains("\(failedID) (superseded by \(verifiedID))"), "\(none.stderr)")
            let byID = try await project.gantry(["resume", failedID, "--no-tui", "--yes"], environment: JournalCommandTests.failingArm64)
            #expect(!byID.stderr.contains("nothing to resume") && !byID.stderr.contains("not resumable"), "\(byID.stderr)")
            let shown = try await project.gantry(["journal", "show", failedID])
            #expect(shown.stdout.contains("resumed by pid"), "the resume went on with the journal: \(shown.stdout)")
        }
    }
}
