import Foundation

/// Finds executables on `PATH`, as a shell would.
public enum ExecutableLocator {
    /// The absolute path of `name` on `searchPath` (default: this process's `PATH`),
    /// or `name` itself when it already contains a `/`.
    public static func find(_ name: String, searchPath: String? = nil) throws(ExecutableNotFound) -> String {
        if name.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else { throw ExecutableNotFound(name: name, searchPath: nil) }
            return name
        }
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ExecutableNotFound(name: name, searchPath: path)
    }
}

/// An executable that is not on PATH (or not executable at the given path).
public struct ExecutableNotFound: Error, Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var searchPath: String?
    public var description: String {
        if let searchPath { return "\(name) is not on PATH (searched \(searchPath))" }
        return "\(name) is not an executable file"
    }
}
