import Crypto
import Foundation
import GantryTestSupport
import Testing

/// Release records through the real binary: two signed releases from one state folder, then,
/// from a machine that never saw them (an empty state folder), the tag's history, the audit
/// with the key, a held-out signature check and the rollback, all read from the registry.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ReleaseRecordCommandTests {
    @Test("two signed releases; another machine reads the history, audits with the key, verifies apart and rolls latest back")
    func anotherMachineReadsTheRecordsAndRollsBack() async throws {
        try await withRegistry { registry in
            let key = P256.Signing.PrivateKey()
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64", "linux/arm64"], extra: ["sign": "{key: signing.pem}"])
            defer { project.remove() }
            try project.directory.write("signing.pem", key.pemRepresentation)
            let publicKey = try project.directory.write("signing.pub", key.publicKey.pemRepresentation)
            let latest = "\(registry.host)/gantry/demo:latest"

            let first = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("signs every index and its release record with"), "the pending set says it will sign: \(first.stdout)")
            let old = try await Skopeo.digest(latest)
            #expect(try await project.gantry(["release", "1.1.0", "--no-tui", "--yes"]).status == 0)
            let new = try await Skopeo.digest(latest)
            #expect(old != new)

            // Another machine: no journal at all.
            let elsewhere = try TemporaryDirectory(prefix: "gantry-elsewhere")
            defer { elsewhere.remove() }
            let history = try await GantryBinary.run(["history", latest, "--json", "--key", publicKey], in: elsewhere.url)
            #expect(history.status == 0, "\(history.stderr)")
            let timeline = try JSONDecoder.records.decode(Timeline.self, from: Data(history.stdout.utf8))
            #expect(timeline.current == new)
            #expect(timeline.entries.map(\.digest) == [new, old])
            #expect(timeline.entries.map(\.previous) == [old, nil])
            #expect(timeline.entries.compactMap(\.record?.record.version) == ["1.1.0", "1.0.0"])
            #expect(timeline.entries.allSatisfy { $0.record?.record.kind == "release" && $0.record?.signature == "verified" })
            #expect(timeline.entries.allSatisfy { $0.record?.record.author.name.contains("@") == true })
            let times = timeline.entries.compactMap(\.record?.record.at)
            #expect(times.count == 2 && times[0] >= times[1])

            let audit = try await GantryBinary.run(["audit", latest, "--key", publicKey], in: elsewhere.url, environment: ["GANTRY_CONFIG": ""])
            #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
            #expect(audit.stdout.contains("1.1.0, released by"), "the audit shows the tag's last record: \(audit.stdout)")
            #expect(audit.stdout.contains("signed (verified)"), "\(audit.stdout)")

            // Held out: Python's cryptography checks the signatures as cosign verify --key does.
            let recordDigest = try #require(timeline.entries.first?.record?.digest)
            for digest in [new, recordDigest] {
                let check = try await runToolToEnd(
                    GantryBinary.repositoryRoot().appendingPathComponent(".venv-tools/bin/python").path,
                    [GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/bin/cosign-verify-key").path, publicKey, "\(registry.host)/gantry/demo", digest])
                #expect(check.status == 0, "\(digest): \(check.stderr)")
            }

            let state = elsewhere.url.appendingPathComponent("state").path
            let rollback = try await GantryBinary.run(["rollback", latest, "--yes", "--state-dir", state], in: elsewhere.url)
            #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
            #expect(try await Skopeo.digest(latest) == old, "latest is 1.0.0's index again")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:1.1.0") == new, "a rollback moves only the tag named")

            let after = try await GantryBinary.run(["history", latest, "--json"], in: elsewhere.url)
            let rolledBack = try JSONDecoder.records.decode(Timeline.self, from: Data(after.stdout.utf8))
            #expect(rolledBack.entries.first?.digest == old)
            #expect(rolledBack.entries.first?.record?.record.kind == "rollback")
            #expect(rolledBack.entries.first?.previous == new)
            #expect(rolledBack.entries.dropFirst().map(\.digest) == [new, old], "the rollback's record leads back through both releases")
        }
    }

    @Test("a tag without records cannot be rolled back blind: exit 2 naming --to, nothing written")
    func noRecordNoBlindRollback() async throws {
        try await withRegistry { registry in
            let project = try DemoProject(registries: [registry.host], platforms: ["linux/amd64"])
            defer { project.remove() }
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            let reference = "\(registry.host)/acme/plain:latest"
            let list = try await fixtures.buildIndex(platforms: ["linux/amd64"])
            try await fixtures.pushIndex(list, to: reference)
            let before = try await Skopeo.digest(reference)
            let rollback = try await GantryBinary.run(["rollback", reference, "--yes", "--state-dir", project.stateDirectory])
            #expect(rollback.status == 2, "\(rollback.stdout)\(rollback.stderr)")
            #expect(rollback.stderr.contains("has no release record") && rollback.stderr.contains("--to"), "\(rollback.stderr)")
            #expect(try await Skopeo.digest(reference) == before)
        }
    }

    /// What the test reads of `gantry history --json`.
    struct Timeline: Decodable {
        var current: String?
        var entries: [Entry]
        struct Entry: Decodable {
            var digest: String
            var previous: String?
            var record: Found?
        }
        struct Found: Decodable {
            var digest: String
            var signature: String?
            var record: Record
        }
        struct Record: Decodable {
            var kind: String
            var version: String?
            var at: Date
            var author: Author
        }
        struct Author: Decodable { var name: String }
    }
}

extension JSONDecoder {
    static var records: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
