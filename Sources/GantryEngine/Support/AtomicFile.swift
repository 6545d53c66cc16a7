import Foundation

/// Writes a file so that readers see the old content or the new, never a part.
public enum AtomicFile {
    /// Replaces `url` with `data`; the file gets exactly `mode`, whatever the umask.
    public static func write(_ data: Data, to url: URL, mode: mode_t) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AtomicFileError(path: url.path, operation: "create", code: errno) }
        fchmod(fd, mode)
        var ok = false
        defer {
            if !ok { unlink(temp.path) }
        }
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw AtomicFileError(path: url.path, operation: "write", code: code)
        }
        close(fd)
        guard rename(temp.path, url.path) == 0 else { throw AtomicFileError(path: url.path, operation: "rename", code: errno) }
        ok = true
        // The rename is durable only once the folder itself is synced.
        let dirFD = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }
}

/// A failed atomic write.
public struct AtomicFileError: Error, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
