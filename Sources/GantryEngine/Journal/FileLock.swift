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
    public static func acquire(at url: URL, purpose: String) throws -> Acquisition {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // CLOEXEC: build processes must not inherit the lock and keep it after Gantry dies.
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileLockError(path: url.path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw FileLockError(path: url.path, errno: code) }
            return .held(by: readHolder(url))
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

    /// Who holds the lock at `url` now; nil when nobody does (or there is no such file).
    public static func holder(at url: URL) -> Holder? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readHolder(url) ?? Holder(pid: 0, since: .distantPast, purpose: "unknown")
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

    private static func readHolder(_ url: URL) -> Holder? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? Data(contentsOf: url)).flatMap { try? decoder.decode(Holder.self, from: $0) }
    }
}

/// A lock file that cannot be opened or locked.
public struct FileLockError: ClassifiedError, Sendable, Equatable {
    public var path: String
    public var errno: Int32
    public var code: String { "journal.lock" }
    public var description: String { "cannot lock \(path): \(String(cString: strerror(errno)))" }
}
