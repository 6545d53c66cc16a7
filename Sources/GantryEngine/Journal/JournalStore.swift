import Foundation

/// Reads and writes release journals in the state folder. Every write is atomic
/// (temporary file, fsync, rename, fsync of the folder); a file that is not a Gantry
/// journal is reported and never overwritten.
public struct JournalStore: Sendable {
    public var state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Writes a new journal; refuses when one with this id exists.
    public func create(_ journal: ReleaseJournal) throws {
        let folder = state.release(journal.id)
        guard !FileManager.default.fileExists(atPath: folder.journal.path) else {
            throw JournalError(path: folder.journal.path, reason: "a journal with id \(journal.id) already exists")
        }
        try write(journal)
    }

    /// Replaces the journal of `journal.id` with `journal` (after it was loaded from there).
    public func write(_ journal: ReleaseJournal) throws {
        let folder = state.release(journal.id)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: folder.journal.path) {
            // Never replace a file we cannot read as one of ours.
            _ = try load(at: folder.journal)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(journal), to: folder.journal)
    }

    /// Loads the journal of `id`.
    public func load(_ id: ReleaseID) throws -> ReleaseJournal {
        let file = state.release(id).journal
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw JournalError(path: file.path, reason: "no release \(id) in \(state.root.path) (see `gantry journal list`)")
        }
        return try load(at: file)
    }

    /// Loads and checks a journal file.
    public func load(at file: URL) throws -> ReleaseJournal {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw JournalError(path: file.path, reason: "cannot be read: \(error.localizedDescription)")
        }
        let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let header else {
            throw JournalError(path: file.path, reason: "is not JSON (corrupt or truncated); it is left as it is")
        }
        guard header["format"] as? String == ReleaseJournal.currentFormat else {
            let found = (header["format"] as? String).map { "format \"\($0)\"" } ?? "no format marker"
            throw JournalError(path: file.path, reason: "is not a Gantry journal (\(found), expected \"\(ReleaseJournal.currentFormat)\"); it is left as it is")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(ReleaseJournal.self, from: data) } catch {
            throw JournalError(path: file.path, reason: "is damaged: \(DecodingErrorText.describe(error)); it is left as it is")
        }
    }

    /// Every journal, newest first; unreadable ones are returned as errors beside them.
    public func list() -> [Result<ReleaseJournal, JournalError>] {
        state.releases().compactMap { folder in
            guard FileManager.default.fileExists(atPath: folder.journal.path) else { return nil }
            do { return .success(try load(at: folder.journal)) } catch let error as JournalError {
                return .failure(error)
            } catch {
                return .failure(JournalError(path: folder.journal.path, reason: "\(error)"))
            }
        }
    }
}

/// A journal that cannot be used.
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "journal \(path) \(reason)" }
}
