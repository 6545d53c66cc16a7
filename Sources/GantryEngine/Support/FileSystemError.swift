import Foundation

/// A file or folder Gantry cannot use, said plainly: the path and what is wrong with it
/// ("is a folder, not a file", "permission denied", "file name too long"), never a
/// Foundation error dump.
public struct FileSystemError: ClassifiedError, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var code: String { "file" }
    public var description: String { "\(path): \(reason)" }

    /// Why the file at `path` could not be read (`error` is what Foundation threw).
    public static func reading(_ path: String, _ error: any Error) -> FileSystemError {
        FileSystemError(path: path, reason: explain(path, expectingFolder: false) ?? posixReason(error))
    }

    /// Why the folder at `path` could not be created, listed or written.
    public static func folder(_ path: String, _ error: any Error) -> FileSystemError {
        FileSystemError(path: path, reason: explain(path, expectingFolder: true) ?? posixReason(error))
    }

    /// Looks at the path itself: the plainest explanation there is.
    private static func explain(_ path: String, expectingFolder: Bool) -> String? {
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > 255 }) {
            return "file name too long (\(long.utf8.count) bytes in one name; the limit is 255)"
        }
        var isFolder: ObjCBool = false
        let manager = FileManager.default
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            if expectingFolder && !isFolder.boolValue { return "is a file, not a folder" }
            if !expectingFolder && isFolder.boolValue { return "is a folder, not a file" }
            if !manager.isReadableFile(atPath: path) { return "permission denied" }
            return nil
        }
        // Missing: say which part of the way is wrong.
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while ancestor.path != "/" {
            if manager.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                if !isFolder.boolValue { return "\(ancestor.path) is a file, not a folder" }
                if !manager.isWritableFile(atPath: ancestor.path) && expectingFolder { return "permission denied in \(ancestor.path)" }
                break
            }
            ancestor.deleteLastPathComponent()
        }
        return expectingFolder ? nil : "does not exist"
    }

    private static func posixReason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
