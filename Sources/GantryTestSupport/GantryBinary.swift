import Foundation

/// Locates the built `gantry` executable and the repository, and runs the command.
public enum GantryBinary {
    /// The repository root (the folder holding Package.swift).
    public static func repositoryRoot(file: String = #filePath) -> URL {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `$GANTRY_BINARY`, else `gantry` beside the test bundle in the build folder.
    public static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["GANTRY_BINARY"] { return URL(fileURLWithPath: explicit) }
        let testBinary = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = testBinary.deletingLastPathComponent()
        // The test bundle may sit in a `.xctest` folder below the build products.
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("gantry")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repositoryRoot().appendingPathComponent(".build/debug/gantry")
    }

    /// The outcome of one `gantry` run.
    public typealias Result = ToolResult

    /// Runs `gantry` with `arguments` in `directory` (the repository by default), no stdin.
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Result {
        try await runToolToEnd(url.path, arguments, environment: environment, in: directory ?? repositoryRoot())
    }
}
