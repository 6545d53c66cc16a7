import Foundation
import Synchronization

/// The journals last decoded, each with the stamp of its file (inode, size, modification
/// time): a list that is read again every few seconds (Home's Recover and Journal) decodes
/// only the journals written since. Every write replaces the file (`AtomicFile`: a new
/// inode), so an unchanged stamp is an unchanged journal.
public final class JournalCache: Sendable {
    private let entries = Mutex<[String: (stamp: FileStamp, journal: ReleaseJournal)]>([:])
    private let decodeCount = Atomic<Int>(0)

    public init() {}

    /// How many journal files were decoded through the cache so far.
    public var decodes: Int { decodeCount.load(ordering: .relaxed) }

    /// The journal in `file`: the cached one while the file is unchanged, else `decode`d
    /// (and cached). A file that cannot be decoded is not cached: it is tried again.
    func journal(at file: URL, decode: () throws -> ReleaseJournal) throws -> ReleaseJournal {
        let stamp = FileStamp(file)
        if let stamp, let cached = entries.withLock({ $0[file.path] }), cached.stamp == stamp { return cached.journal }
        decodeCount.add(1, ordering: .relaxed)
        let journal = try decode()
        entries.withLock { $0[file.path] = stamp.map { ($0, journal) } }
        return journal
    }
}

/// What tells one version of a file from another without reading it.
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modified: timespec

    /// The file's stamp; nil when it cannot be stat'ed.
    init?(_ file: URL) {
        var info = stat()
        guard stat(file.path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
    }
}
