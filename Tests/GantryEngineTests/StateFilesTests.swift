import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The state folder keeps to itself: ids are one name, journals go back where they were
/// read, locks are never symlinks, and nobody else can read any of it.
@Suite(.timeLimit(.minutes(1))) struct StateFilesTests {
    func journal(_ id: String) throws -> ReleaseJournal {
        ReleaseJournal(
            id: try ReleaseID(id), kind: .release, image: "acme/app", version: try SemanticVersion.parse("1.2.3"),
            registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: ["1.2.3"], expectedPlatforms: [try Platform.parse("linux/amd64")])
    }

    /// The journal file of `id` with its `id` field set to `field`.
    func rewriteIDField(of id: ReleaseID, in store: JournalStore, to field: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = store.state.release(id).journal
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any], sourceLocation: sourceLocation)
        object["id"] = field
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }

    func mode(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["../../../../etc", "../../outside/ID", "a/b", ".", "..", "", ".hidden", "-rf", "two words", "id\n", String(repeating: "a", count: 256)])
    func anIDThatIsNotOneNameOfGantrysAlphabetIsRefusedByName(text: String) {
        let error = #expect(throws: ReleaseIDError.self) { try ReleaseID(text) }
        #expect(error?.id == text)
        #expect(error?.code == "journal.badID")
    }

    @Test func theIDsGantryMakesAreValid() throws {
        let made = ReleaseID.make(image: "ghcr.io/acme/my_app", version: try SemanticVersion.parse("1.2.3-rc.1+build.7"))
        #expect(try ReleaseID(made.rawValue) == made)
        #expect(throws: Never.self) { try ReleaseID("app-1.2.3-20261130T000000Z-rollback-20261130T000100Z-2") }
    }

    @Test("a journal whose id field names a path outside the state folder is refused, and nothing is written there")
    func aJournalIDFieldNamingAPathIsRefused() throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url.appendingPathComponent("state")))
            let created = try store.create(try journal("app-1.2.3-20261130T000000Z"))
            try rewriteIDField(of: created.id, in: store, to: "../../../escape-test")

            let error = #expect(throws: JournalError.self) { try store.abandon(created.id) }
            #expect(error?.description.contains("\"../../../escape-test\" is not a release id") == true, "\(String(describing: error))")
            let outside = folder.url.appendingPathComponent("escape-test").path
            #expect(!FileManager.default.fileExists(atPath: outside))
            #expect(!FileManager.default.fileExists(atPath: folder.url.deletingLastPathComponent().appendingPathComponent("escape-test").path))
        }
    }

    @Test("a journal is written back to the folder it was read from, whatever its id field says")
    func aJournalIsLocatedByItsFolder() throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url))
            let victim = try store.create(try journal("app-1.2.3-20261130T000000Z"))
            let copied = try store.create(try journal("app-1.2.3-20261130T000100Z"))
            let victimBytes = try Data(contentsOf: store.state.release(victim.id).journal)
            try rewriteIDField(of: copied.id, in: store, to: victim.id.rawValue)

            try store.abandon(copied.id)
            #expect(try Data(contentsOf: store.state.release(victim.id).journal) == victimBytes)
            let abandoned = try store.load(copied.id)
            #expect(abandoned.id == copied.id && abandoned.phase == .abandoned)
            #expect(try store.summaries().map(\.summary).compactMap { try? $0.get().id } == [copied.id, victim.id])
        }
    }

    @Test("a lock file replaced by a symlink is refused, and the file it points to is left byte for byte")
    func aSymlinkedLockIsNeverFollowed() throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let store = JournalStore(state: StateDirectory(root: folder.url.appendingPathComponent("state")))
            let created = try store.create(try journal("app-1.2.3-20261130T000000Z"))
            let victim = folder.url.appendingPathComponent("precious.txt")
            try Data("precious".utf8).write(to: victim)
            let lock = store.state.release(created.id).lock
            try FileManager.default.createSymbolicLink(at: lock, withDestinationURL: victim)

            let error = #expect(throws: FileLockError.self) { try FileLock.acquire(at: lock, purpose: "test") }
            #expect(error?.problem == .notARegularFile)
            #expect(FileLock.holder(at: lock) == nil)
            #expect(throws: FileLockError.self) { try store.abandon(created.id) }
            #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")

            try FileManager.default.removeItem(at: lock)
            try FileManager.default.createDirectory(at: lock, withIntermediateDirectories: false)
            #expect(throws: FileLockError.self) { try FileLock.acquire(at: lock, purpose: "test") }
        }
    }

    @Test("the state folder is 0700 and its journals and locks 0600")
    func stateFilesAreTheOwnersOnly() throws {
        try withTemporaryDirectorySync(prefix: "gantry-state") { folder in
            let state = StateDirectory(root: folder.url.appendingPathComponent("state"))
            let created = try JournalStore(state: state).create(try journal("app-1.2.3-20261130T000000Z"))
            let release = state.release(created.id)
            guard case .acquired(let lock) = try FileLock.acquire(at: release.lock, purpose: "test"),
                case .acquired(let publishLock) = try FileLock.acquire(at: state.publishLock(for: try .parse("127.0.0.1:5000/acme/app")), purpose: "test")
            else { Issue.record("a fresh lock was held"); return }
            defer { lock.release(); publishLock.release() }
            for url in [state.root, state.root.appendingPathComponent("releases"), release.url, state.root.appendingPathComponent("locks")] {
                #expect(try mode(url) == 0o700, "\(url.path)")
            }
            for url in [release.journal, release.lock, state.publishLock(for: try .parse("127.0.0.1:5000/acme/app"))] {
                #expect(try mode(url) == 0o600, "\(url.path)")
            }
        }
    }
}
