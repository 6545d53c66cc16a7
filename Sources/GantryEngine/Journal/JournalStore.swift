import Foundation

/// Reads and writes release journals in the state folder. Every write is atomic
/// (temporary file, fsync, rename, fsync of the folder); a file that is not a Gantry
/// journal is reported and never overwritten.
public struct JournalStore: Sendable {
    public var state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Writes a new journal under an id of its own: the release folder is created
    /// exclusively, and on a collision (runs started in the same second) the id gets a
    /// suffix (`-2`, `-3`, ...). Returns the journal as written, with its final id.
    public func create(_ journal: ReleaseJournal) throws -> ReleaseJournal {
        let releases = state.root.appendingPathComponent("releases")
        try state.checkReadable()
        try PrivateFolder.create(releases)
        var journal = journal
        let base = journal.id.rawValue
        for attempt in 1...1000 {
            journal.id = ReleaseID(unchecked: attempt == 1 ? base : "\(base)-\(attempt)")
            let folder = state.release(journal.id)
            if mkdir(folder.url.path, PrivateFolder.folderMode) == 0 {
                chmod(folder.url.path, PrivateFolder.folderMode)
                try write(journal)
                return journal
            }
            guard errno == EEXIST else {
                throw JournalError(path: folder.url.path, reason: "cannot be created: \(String(cString: strerror(errno)))")
            }
        }
        throw JournalError(path: releases.path, reason: "holds 1,000 releases named \(base)")
    }

    /// Replaces the journal of `journal.id` with `journal` (after it was loaded from there).
    public func write(_ journal: ReleaseJournal) throws {
        let folder = state.release(journal.id)
        if FileManager.default.fileExists(atPath: folder.journal.path) {
            // Never replace a file we cannot read as one of ours.
            _ = try load(in: folder)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(journal), to: folder.journal, mode: PrivateFolder.fileMode)
        #if GANTRY_CRASH_POINTS
        CrashPoint.journalWritten()
        #endif
    }

    /// Loads the journal of `id`.
    public func load(_ id: ReleaseID) throws -> ReleaseJournal {
        let folder = state.release(id)
        try state.checkReadable()
        guard FileManager.default.fileExists(atPath: folder.journal.path) else {
            throw JournalError(path: folder.journal.path, reason: "no release \(id) in \(state.root.path) (see `gantry journal list`)")
        }
        return try load(in: folder)
    }

    /// Loads and checks the journal of `folder`. Its id is the folder's: the file's `id`
    /// field never decides where the journal is written back.
    private func load(in folder: ReleaseFolder) throws -> ReleaseJournal {
        var journal = try Self.decode(try Self.bytes(of: folder.journal), path: folder.journal.path)
        journal.id = folder.id
        return journal
    }

    private static func bytes(of file: URL) throws -> Data {
        do { return try Data(contentsOf: file) } catch {
            throw JournalError(path: file.path, reason: "cannot be read: \(FileSystemError.reading(file.path, error).reason)")
        }
    }

    /// Checks and decodes journal bytes; `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> ReleaseJournal {
        let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let header else { throw JournalError.notJSON(path) }
        guard header["format"] as? String == ReleaseJournal.currentFormat else {
            throw JournalError.notAJournal(path, format: header["format"] as? String)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(ReleaseJournal.self, from: data) } catch {
            throw JournalError.damaged(path, error)
        }
    }

    /// Marks the unfinished release `id` abandoned (Recover's dismiss): it leaves the lists of
    /// things to resume; its journal and everything it pushed stay. A running one is refused.
    public func abandon(_ id: ReleaseID) throws {
        let folder = state.release(id)
        guard case .acquired(let lock) = try FileLock.acquire(at: folder.lock, purpose: "abandon \(id)") else {
            throw FlowError.running(id, FileLock.holder(at: folder.lock))
        }
        defer { lock.release() }
        var journal = try load(id)
        guard !journal.isFinished else { throw FlowError(.notResumable, "\(journal.kind.rawValue) \(id) is \(journal.phase.rawValue) already") }
        journal.phase = .abandoned
        journal.updatedAt = .now
        journal.note("dismissed by the user: abandoned, nothing deleted")
        try write(journal)
    }

    /// Every journal, newest first, each with whether a process is running it now;
    /// unreadable ones are returned as errors beside them, never dropped. Throws when the
    /// state folder itself cannot be read.
    public func list() throws -> [JournalListing] {
        try listings { folder in try load(in: folder) }
    }

    /// The same, decoding only the journals whose files changed since `cache` decoded them.
    public func list(cache: JournalCache) throws -> [JournalListing] {
        try listings { folder in try cache.journal(at: folder.journal) { try load(in: folder) } }
    }

    private func listings(_ load: (ReleaseFolder) throws -> ReleaseJournal) throws -> [JournalListing] {
        try entries(load).map { JournalListing(folder: $0.folder, journal: $0.read, runner: $0.runner) }
    }

    /// What `journal list` shows of every journal (see `list()`), each decoded no further
    /// than its summary.
    public func summaries() throws -> [JournalSummaryListing] {
        try entries { folder in
            var summary = try JournalSummary.decode(try Self.bytes(of: folder.journal), path: folder.journal.path)
            summary.id = folder.id
            return summary
        }.map { JournalSummaryListing(folder: $0.folder, summary: $0.read, runner: $0.runner) }
    }

    /// Every release folder holding a journal, newest first: what `read` makes of it (or
    /// why it cannot be read) and the process running it now.
    private func entries<T>(_ read: (ReleaseFolder) throws -> T) throws -> [(folder: ReleaseFolder, read: Result<T, JournalError>, runner: FileLock.Holder?)] {
        try state.releases().compactMap { folder in
            guard FileManager.default.fileExists(atPath: folder.journal.path) else { return nil }
            let result: Result<T, JournalError>
            do { result = .success(try read(folder)) } catch let error as JournalError {
                result = .failure(error)
            } catch {
                result = .failure(JournalError(path: folder.journal.path, reason: RecordedError(error).message))
            }
            return (folder, result, FileLock.holder(at: folder.lock))
        }
    }
}

/// One entry of the state folder: the journal (or why it cannot be read) and the
/// process running it now, if any.
public struct JournalListing: Sendable {
    public var folder: ReleaseFolder
    public var journal: Result<ReleaseJournal, JournalError>
    /// The process holding the release's lock; nil when none runs it.
    public var runner: FileLock.Holder?

    public init(folder: ReleaseFolder, journal: Result<ReleaseJournal, JournalError>, runner: FileLock.Holder? = nil) {
        self.folder = folder
        self.journal = journal
        self.runner = runner
    }

    /// `running (pid N)`, `interrupted`, or the journal's phase.
    public var status: String { Self.status(runner: runner, journal.map { ($0.kind, $0.phase) }) }

    /// The status of a journal of `kind` at `phase` (or unreadable), run by `runner`.
    static func status(runner: FileLock.Holder?, _ state: Result<(ReleaseJournal.Kind, ReleaseJournal.Phase), JournalError>) -> String {
        if let runner { return "running (pid \(runner.pid))" }
        guard case .success(let (kind, phase)) = state else { return "corrupt" }
        return kind.isFinished(at: phase) ? phase.rawValue : "interrupted (\(phase.rawValue))"
    }
}

/// One entry of the state folder as `journal list` shows it: the journal's summary (or
/// why it cannot be read) and the process running it now, if any.
public struct JournalSummaryListing: Sendable {
    public var folder: ReleaseFolder
    public var summary: Result<JournalSummary, JournalError>
    public var runner: FileLock.Holder?

    /// `running (pid N)`, `interrupted`, or the journal's phase.
    public var status: String { JournalListing.status(runner: runner, summary.map { ($0.kind, $0.phase) }) }
}

/// A journal that cannot be used.
public struct JournalError: ClassifiedError, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var code: String { "journal.unusable" }
    public var description: String { "journal \(path): \(reason)" }

    static func notJSON(_ path: String) -> JournalError {
        JournalError(path: path, reason: "is not JSON (corrupt or truncated); it is left as it is")
    }

    static func notAJournal(_ path: String, format: String?) -> JournalError {
        let found = format.map { "format \"\($0)\"" } ?? "no format marker"
        return JournalError(path: path, reason: "is not a Gantry journal (\(found), expected \"\(ReleaseJournal.currentFormat)\"); it is left as it is")
    }

    static func damaged(_ path: String, _ error: any Error) -> JournalError {
        JournalError(path: path, reason: "is damaged: \(DecodingErrorText.describe(error)); it is left as it is")
    }
}
