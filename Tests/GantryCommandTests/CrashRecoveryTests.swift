import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `gantry release` killed with SIGKILL when its journal reaches a state, then
/// `gantry resume`: the end state is right, nothing pushed is rebuilt, and no tag is
/// ever seen pointing to a partial index.
@Suite(.startsProcesses, .serialized, .timeLimit(.minutes(10))) struct CrashRecoveryTests {
    enum Stage: String, CaseIterable, Sendable {
        case firstPlatformBuilt, secondPlatformBuilt, firstRegistryPublished

        func reached(_ journal: ReleaseJournal) -> Bool {
            switch self {
            case .firstPlatformBuilt: journal.platforms.filter { $0.state == .built }.count >= 1
            case .secondPlatformBuilt: journal.platforms.filter { $0.state == .built }.count >= 2
            case .firstRegistryPublished: journal.publications.contains { $0.state == .published || $0.state == .verified }
            }
        }
    }

    @Test(arguments: Stage.allCases)
    func resumeFinishesAfterSIGKILL(_ stage: Stage) async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host), extra: ["parallel": "1"])
            defer { project.remove() }
            let watcher = PartialIndexWatcher(references: registries.flatMap { r in ["1.0.0", "latest"].map { "\(r.host)/gantry/demo:\($0)" } })
            watcher.start()

            // Start the release and kill it the moment its journal reaches the stage. The
            // polling blocks this thread on purpose: it must not wait for a busy task pool.
            let process = Process()
            process.executableURL = GantryBinary.url
            process.arguments = ["release", "1.0.0", "--no-tui", "--yes", "--config", project.configPath, "--state-dir", project.stateDirectory]
            let log = try project.directory.write("release.log", "")
            let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            defer { try? logHandle.close() }
            process.standardOutput = logHandle
            process.standardError = logHandle
            process.standardInput = FileHandle.nullDevice
            try process.runUnblocked()
            let store = JournalStore(state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)))
            // Polled on a thread of its own: the kill must not wait for a busy task pool.
            let atKill: ReleaseJournal? = try await offThePool {
                let deadline = ContinuousClock.now + Patience.wait
                var found: ReleaseJournal?
                while process.isRunning, ContinuousClock.now < deadline {
                    if let journal = (try? store.list())?.compactMap({ try? $0.journal.get() }).first, stage.reached(journal) {
                        kill(process.processIdentifier, SIGKILL)
                        found = journal
                        break
                    }
                    usleep(2_000)  // polling the journal file, bounded by the deadline
                }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }  // past the deadline: stop it, then reap
                process.waitUntilExit()
                return found
            }
            let killed = try #require(atKill, "the release ended before reaching \(stage): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            let builtBefore = killed.platforms.filter { $0.state == .built }.map(\.platform)

            let resumed = try await project.gantry(["resume", "--no-tui", "--yes"])
            if killed.phase == .verified {
                #expect(resumed.status != 0, "a verified release has nothing to resume")
            } else {
                #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
                for platform in builtBefore {
                    #expect(resumed.stdout.contains("\(platform) reused "), "\(platform) was pushed before the kill and must not be rebuilt")
                    #expect(!resumed.stdout.contains("\(platform) started with"))
                }
            }
            let partial = await watcher.stop()
            #expect(partial.isEmpty, "tags seen pointing to a partial index: \(partial)")
            try await ReleaseCommandTests.expectWholeRelease(["1.0.0", "1.0", "1", "latest"], in: registries)
        }
    }
}

extension CrashRecoveryTests {
    @Test("killed right after each journal write in turn, a release always resumes to whole tags; nothing pushed is rebuilt")
    func crashAfterEveryJournalWrite() async throws {
        try await withRegistries(2) { registries in
            let project = try DemoProject(registries: registries.map(\.host))
            defer { project.remove() }
            let watcher = PartialIndexWatcher(references: registries.flatMap { r in ["1", "latest"].map { "\(r.host)/gantry/demo:\($0)" } })
            watcher.start()
            let store = JournalStore(state: StateDirectory(root: URL(fileURLWithPath: project.stateDirectory)))
            var crashes = 0, resumes = 0, reusedPlatforms = 0
            for write in 1...40 {
                let version = "1.\(write).0"
                let crashed = try await project.gantry(["release", version, "--no-tui", "--yes"], environment: ["GANTRY_CRASH_AFTER_JOURNAL_WRITES": "\(write)"])
                if crashed.status == 0 { break }  // past the last write: the release ran whole
                #expect(crashed.status == 137, "write \(write): \(crashed.stderr)")
                crashes += 1
                let atCrash = try #require(try store.list().compactMap { try? $0.journal.get() }.first { $0.version?.description == version })
                let resumed = try await project.gantry(["resume", atCrash.id.rawValue, "--no-tui", "--yes"])
                if atCrash.isFinished {
                    #expect(resumed.status == 2, "a verified release has nothing to resume")
                } else {
                    #expect(resumed.status == 0, "write \(write): \(resumed.stdout)\n\(resumed.stderr)")
                    resumes += 1
                    for record in atCrash.platforms where record.state.hasDigest {
                        #expect(resumed.stdout.contains("\(record.platform) reused "), "write \(write): \(record.platform) was pushed before the crash")
                        reusedPlatforms += 1
                    }
                }
                try await ReleaseCommandTests.expectWholeRelease([version, "1.\(write)", "1", "latest"], in: registries)
            }
            let partial = await watcher.stop()
            print("crash matrix (journal writes): \(crashes) crashes, one after each journal write of a release; \(resumes) resumed to verified (\(reusedPlatforms) platforms reused, none rebuilt), \(crashes - resumes) already verified; watcher saw \(partial.count) partial indexes")
            #expect(crashes >= 10, "a release writes its journal at least ten times")
            #expect(partial.isEmpty, "tags seen pointing to a partial index: \(partial)")
        }
    }
}

/// Polls tags with skopeo in a task of its own and records every observation of an index
/// lacking a platform.
final class PartialIndexWatcher: @unchecked Sendable {
    let references: [String]
    private let lock = NSLock()
    private var partial: [String] = []
    private var running = true
    private var task: Task<Void, Never>?

    init(references: [String]) { self.references = references }

    func start() {
        let task = Task { [self] in
            while lock.withLock({ running }) {
                for reference in references {
                    guard let raw = try? await Skopeo.rawManifest(reference),
                          let index = try? JSONSerialization.jsonObject(with: raw) as? [String: Any] else { continue }
                    let count = (index["manifests"] as? [Any])?.count ?? 1
                    if count != 3 { lock.withLock { partial.append("\(reference) had \(count) entries") } }
                }
            }
        }
        lock.withLock { self.task = task }
    }

    /// Stops watching and returns what it saw.
    func stop() async -> [String] {
        let task = lock.withLock { running = false; return self.task }
        await task?.value
        return lock.withLock { partial }
    }
}
