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
) async throws -> String {
    try await runToolToEnd(executable, arguments, environment: environment, input: input).output(of: executable, arguments)
}

/// Runs a tool to completion in `directory` (default: this process's) and returns how it
/// ended, whatever its exit status. The wait is a termination handler, not a blocked thread:
/// the concurrency pool has one thread per core (two here), and a test that blocks one while
/// `gantry` or skopeo runs for seconds starves every other test's tasks. Cancelling the
/// calling task terminates the tool.
public func runToolToEnd(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    input: Data? = nil, in directory: URL? = nil
) async throws -> ToolResult {
    let run = try ToolRun(executable, arguments, environment: environment, input: input, in: directory)
    defer { run.files.remove() }
    let process = run.process
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    } onCancel: {
        if process.isRunning { process.terminate() }
    }
    return run.result()
}

/// Runs a short tool (tmux, htpasswd, openssl, buildah's clean-up) from synchronous code
/// (a `close()` or `remove()` called from `defer`, a server's launch), blocking this thread
/// until it exits.
@discardableResult
public func runQuickTool(_ executable: String, _ arguments: [String]) throws -> String {
    let run = try ToolRun(executable, arguments, environment: nil, input: nil, in: nil)
    defer { run.files.remove() }
    try run.process.run()
    run.process.waitUntilExit()
    return try run.result().output(of: executable, arguments)
}

extension ToolResult {
    /// Standard output, or an error naming the command and carrying its stderr.
    func output(of executable: String, _ arguments: [String]) throws -> String {
        guard status == 0 else {
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(stderr)")
        }
        return stdout
    }
}

/// A configured, not yet started tool whose output goes to files, not pipes: nothing can
/// block on a full pipe or need a reader thread.
private struct ToolRun {
    let process = Process()
    let files: TemporaryDirectory
    private let outURL: URL, errURL: URL
    private let handles: [FileHandle]

    init(_ executable: String, _ arguments: [String], environment: [String: String]?, input: Data?, in directory: URL?) throws {
        process.executableURL = URL(fileURLWithPath: try which(executable))
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        files = try TemporaryDirectory(prefix: "gantry-tool")
        outURL = files.url.appendingPathComponent("stdout")
        errURL = files.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inURL = files.url.appendingPathComponent("stdin")
            try input.write(to: inURL)
            let inHandle = try FileHandle(forReadingFrom: inURL)
            process.standardInput = inHandle
            handles = [out, err, inHandle]
        } else {
            process.standardInput = FileHandle.nullDevice
            handles = [out, err]
        }
    }

    /// Closes this side's handles and reads what the tool printed.
    func result() -> ToolResult {
        for handle in handles { try? handle.close() }
        return ToolResult(
            status: process.terminationStatus,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }
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
