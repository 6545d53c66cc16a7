import Foundation
import Synchronization

/// An exclusive `flock` on a file, held until `release()` or until the process dies (the
/// kernel drops it then, so a crash never leaves a stale lock). The file names its holder
/// (pid, start time, what it does) for the message another process shows when refused.
public final class FileLock: Sendable {
    /// Who holds a lock, as written in the lock file.
    public struct Holder: Codable, Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var since: Date
        public var purpose: String

        public init(pid: Int32, since: Date, purpose: String) {
            self.pid = pid
            self.since = since
            self.purpose = purpose
        }

        public var description: String { "pid \(pid) since \(since.formatted(.iso8601))" }
    }

    public let url: URL
    private let descriptor: Mutex<Int32?>

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// The lock, or who holds it.
    public enum Acquisition: Sendable {
        case acquired(FileLock)
        /// Another process (or another open of the file in this one) holds it.
        case held(by: Holder?)
    }

    /// Takes the lock at `url` (creating the file and its folder), or says who holds it.
    /// A symlink or anything else that is not a regular file in the lock's place is refused,
    /// never followed: the lock file is truncated and rewritten, so following one would let
    /// whoever planted it have Gantry overwrite any file the user can write.
    public static func acquire(at url: URL, purpose: String) throws -> Acquisition {
        try PrivateFolder.create(url.deletingLastPathComponent())
        // CLOEXEC: build processes must not inherit the lock and keep it after Gantry dies.
        let fd = try openRegularFile(url, O_RDWR | O_CREAT)
        fchmod(fd, PrivateFolder.fileMode)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else { throw FileLockError(path: url.path, problem: .system(code)) }
            return .held(by: readHolder(fd))
        }
        let holder = Holder(pid: getpid(), since: Date(), purpose: purpose)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        if let data = try? encoder.encode(holder) {
            ftruncate(fd, 0)
            _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return .acquired(FileLock(url: url, descriptor: fd))
    }

    /// Who holds the lock at `url` now; nil when nobody does (or there is no such file, or
    /// something other than a lock file is in its place).
    public static func holder(at url: URL) -> Holder? {
        guard let fd = try? openRegularFile(url, O_RDONLY) else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readHolder(fd) ?? Holder(pid: 0, since: .distantPast, purpose: "unknown")
    }

    /// Opens `url` without following a symlink (`O_NOFOLLOW`) and checks it is a regular file.
    private static func openRegularFile(_ url: URL, _ flags: Int32) throws(FileLockError) -> Int32 {
        let fd = open(url.path, flags | O_NOFOLLOW | O_CLOEXEC, PrivateFolder.fileMode)
        // O_NOFOLLOW makes a symlink fail with ELOOP.
        guard fd >= 0 else { throw FileLockError(path: url.path, problem: errno == ELOOP ? .notARegularFile : .system(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw FileLockError(path: url.path, problem: .notARegularFile)
        }
        return fd
    }

    /// Gives the lock up; later calls do nothing.
    public func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            flock(open, LOCK_UN)
            close(open)
            fd = nil
        }
    }

    /// The holder the open lock file `fd` names (read through the descriptor: the path may
    /// have been replaced since it was checked).
    private static func readHolder(_ fd: Int32) -> Holder? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = pread(fd, &chunk, chunk.count, off_t(data.count))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            data.append(contentsOf: chunk[0..<n])
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Holder.self, from: data)
    }
}

/// A lock file that cannot be opened or locked.
public struct FileLockError: ClassifiedError, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// open or flock failed with this errno.
        case system(Int32)
        /// A symlink, folder or device is where the lock file should be.
        case notARegularFile
    }

    public var path: String
    public var problem: Problem

    public var code: String { "journal.lock" }
    public var description: String {
        switch problem {
        case .system(let errno): "cannot lock \(path): \(String(cString: strerror(errno)))"
        case .notARegularFile: "cannot lock \(path): it is not a regular file (a symlink?); it is left as it is"
        }
    }
}
