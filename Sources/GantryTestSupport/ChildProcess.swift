import Foundation
import Synchronization

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
/// calling task terminates the tool, and so does `deadline`: a tool still running then is
/// stopped (SIGTERM, then SIGKILL) and the error names it with what it printed.
public func runToolToEnd(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    input: Data? = nil, in directory: URL? = nil, deadline: Duration = Patience.wait
) async throws -> ToolResult {
    let run = try ToolRun(executable, arguments, environment: environment, input: input, in: directory)
    defer { run.files.remove() }
    let process = run.process
    let overrun = Mutex(false)
    let watchdog = Task {
        try await Task.sleep(for: deadline)
        overrun.withLock { $0 = true }
        stop(process)
    }
    defer { watchdog.cancel() }
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.runUnblocked() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    } onCancel: {
        stop(process)
    }
    let result = run.result()
    if overrun.withLock({ $0 }) {
        throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) still ran after \(deadline) and was stopped; it printed:\n\(result.stdout)\n\(result.stderr)")
    }
    return result
}

/// SIGTERM now, SIGKILL if the process is still there after `Patience.exit` (never waited for here).
private func stop(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    let pid = process.processIdentifier
    Task {
        try await Task.sleep(for: Patience.exit)
        if process.isRunning { kill(pid, SIGKILL) }
    }
}

/// Runs a short tool blocking this thread until it exits: only for threads of their own
/// (a teardown's clean-up thread, a test server's connection thread), never the test's pool.
@discardableResult
public func runQuickTool(_ executable: String, _ arguments: [String]) throws -> String {
    let run = try ToolRun(executable, arguments, environment: nil, input: nil, in: nil)
    defer { run.files.remove() }
    try run.process.runUnblocked()
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

/// Waits, polling, until a started process has exited; past `deadline` kills it and throws.
public func awaitExit(_ process: Process, deadline: Duration = Patience.wait) async throws {
    do {
        try await poll("\(process.executableURL?.lastPathComponent ?? "process") (pid \(process.processIdentifier)) to exit",
                       deadline: deadline) { !process.isRunning }
    } catch {
        kill(process.processIdentifier, SIGKILL)
        throw error
    }
}
