import Foundation

/// How a tool run ended and what it printed.
public struct ToolResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a tool to completion and returns its standard output; throws with stderr on failure.
@discardableResult
public func runTool(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    input: Data? = nil
) throws -> String {
    let result = try runToolToEnd(executable, arguments, environment: environment, input: input)
    guard result.status == 0 else {
        throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return result.stdout
}

/// Runs a tool to completion in `directory` (default: this process's) and returns how it
/// ended, whatever its exit status.
public func runToolToEnd(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    input: Data? = nil, in directory: URL? = nil
) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try which(executable))
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let directory { process.currentDirectoryURL = directory }
    // Output goes to files, not pipes: nothing can block on a full pipe or a reader thread.
    let dir = try TemporaryDirectory(prefix: "gantry-tool")
    defer { dir.remove() }
    let outURL = dir.url.appendingPathComponent("stdout"), errURL = dir.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
    defer { try? outHandle.close(); try? errHandle.close() }
    process.standardOutput = outHandle
    process.standardError = errHandle
    if let input {
        let inURL = dir.url.appendingPathComponent("stdin")
        try input.write(to: inURL)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    process.waitUntilExit()
    return ToolResult(
        status: process.terminationStatus,
        stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
}

/// The absolute path of `name` on PATH (or `name` itself when it has a slash).
public func which(_ name: String) throws -> String {
    if name.contains("/") { return name }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw TestSupportError("\(name) is not on PATH; run scripts/setup.sh")
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ d: Data) { lock.withLock { data = d } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
