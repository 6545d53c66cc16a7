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
        do {
            try FileManager.default.createDirectory(at: releases, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError.folder(releases.path, error)
        }
        var journal = journal
        let base = journal.id.rawValue
        for attempt in 1...1000 {
            journal.id = ReleaseID(rawValue: attempt == 1 ? base : "\(base)-\(attempt)")
            let folder = state.release(journal.id)
            if mkdir(folder.url.path, 0o755) == 0 {
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
            _ = try load(at: folder.journal)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(journal), to: folder.journal)
        CrashPoint.journalWritten()
    }

    /// Loads the journal of `id`.
    public func load(_ id: ReleaseID) throws -> ReleaseJournal {
        let file = state.release(id).journal
        try state.checkReadable()
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw JournalError(path: file.path, reason: "no release \(id) in \(state.root.path) (see `gantry journal list`)")
        }
        return try load(at: file)
    }

    /// Loads and checks a journal file.
    public func load(at file: URL) throws -> ReleaseJournal {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw JournalError(path: file.path, reason: "cannot be read: \(FileSystemError.reading(file.path, error).reason)")
        }
        return try Self.decode(data, path: file.path)
    }

    /// Checks and decodes journal bytes; `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> ReleaseJournal {
        let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let header else {
            throw JournalError(path: path, reason: "is not JSON (corrupt or truncated); it is left as it is")
        }
        guard header["format"] as? String == ReleaseJournal.currentFormat else {
            let found = (header["format"] as? String).map { "format \"\($0)\"" } ?? "no format marker"
            throw JournalError(path: path, reason: "is not a Gantry journal (\(found), expected \"\(ReleaseJournal.currentFormat)\"); it is left as it is")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(ReleaseJournal.self, from: data) } catch {
            throw JournalError(path: path, reason: "is damaged: \(DecodingErrorText.describe(error)); it is left as it is")
        }
    }

    /// Every journal, newest first, each with whether a process is running it now;
    /// unreadable ones are returned as errors beside them, never dropped. Throws when the
    /// state folder itself cannot be read.
    public func list() throws -> [JournalListing] {
        try state.releases().compactMap { folder in
            guard FileManager.default.fileExists(atPath: folder.journal.path) else { return nil }
            let journal: Result<ReleaseJournal, JournalError>
            do { journal = .success(try load(at: folder.journal)) } catch let error as JournalError {
                journal = .failure(error)
            } catch {
                journal = .failure(JournalError(path: folder.journal.path, reason: RecordedError(error).message))
            }
            return JournalListing(folder: folder, journal: journal, runner: FileLock.holder(at: folder.lock))
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
    public var status: String {
        if let runner { return "running (pid \(runner.pid))" }
        guard case .success(let journal) = journal else { return "corrupt" }
        return journal.isFinished ? journal.phase.rawValue : "interrupted (\(journal.phase.rawValue))"
    }
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
}
