import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run in its own process group, its stdout and stderr streamed as
/// lines. Cancelling the calling task sends SIGTERM to the whole group, then SIGKILL
/// after `gracePeriod`; anything of the group still alive when the child has exited
/// is torn down the same way, so no process is left behind.
public struct ChildProcess: Sendable {
    /// The executable's name (looked up on `PATH`) or path.
    public var executable: String
    public var arguments: [String]
    /// Variables set on top of the inherited environment.
    public var environment: [String: String]
    public var workingDirectory: String?
    /// How long the group has between SIGTERM and SIGKILL.
    public var gracePeriod: Duration

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        workingDirectory: String? = nil, gracePeriod: Duration = .seconds(5)
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.gracePeriod = gracePeriod
    }

    /// The command line, for messages.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    /// Runs the process to completion, calling `onLine` for every line of stdout and
    /// stderr (in arrival order per stream), and returns how it ended.
    /// Throws `CancellationError` when the calling task was cancelled.
    public func run(onLine: (OutputLine) -> Void) async throws -> ChildProcessExit {
        let path = try ExecutableLocator.find(executable, searchPath: environment["PATH"])
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        let configuration = Configuration(
            executable: .path(FilePath(path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(updates),
            workingDirectory: workingDirectory.map { FilePath($0) },
            platformOptions: options
        )
        let group = ProcessGroupBox()
        let grace = gracePeriod
        do {
            let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) { execution in
                group.set(execution.processIdentifier.value)
                // Both streams feed one queue so `onLine` runs in one place; nil marks a stream's end.
                let (lines, continuation) = AsyncStream<OutputLine?>.makeStream()
                await withTaskGroup(of: Void.self) { pumps in
                    pumps.addTask { await Self.pump(execution.standardOutput, .stdout, into: continuation) }
                    pumps.addTask { await Self.pump(execution.standardError, .stderr, into: continuation) }
                    var open = 2
                    for await item in lines {
                        guard let line = item else {
                            open -= 1
                            if open == 0 { break }
                            continue
                        }
                        onLine(line)
                    }
                }
            }
            await ProcessGroupReaper.terminate(group: group.value, gracePeriod: grace)
            try Task.checkCancellation()
            switch result.terminationStatus {
            case .exited(let code): return .exited(code)
            case .signaled(let signal): return .signalled(signal)
            }
        } catch {
            await ProcessGroupReaper.terminate(group: group.value, gracePeriod: grace)
            if Task.isCancelled { throw CancellationError() }
            throw ChildProcessError(command: commandLine, reason: "\(error)")
        }
    }

    /// Reads one output stream, splitting it into lines.
    private static func pump(
        _ sequence: SubprocessOutputSequence, _ stream: OutputLine.Stream,
        into continuation: AsyncStream<OutputLine?>.Continuation
    ) async {
        var splitter = LineSplitter()
        do {
            for try await buffer in sequence {
                buffer.withUnsafeBytes { bytes in
                    splitter.feed(bytes) { continuation.yield(OutputLine(stream: stream, bytes: $0)) }
                }
            }
        } catch {
            // The stream ends with the process or on cancellation; what was read is kept.
        }
        splitter.finish { continuation.yield(OutputLine(stream: stream, bytes: $0)) }
        continuation.yield(nil)
    }
}

/// One line a child process wrote.
public struct OutputLine: Sendable, Equatable {
    public enum Stream: String, Sendable, Codable { case stdout, stderr }
    public var stream: Stream
    public var bytes: [UInt8]
    public init(stream: Stream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }
    /// The line as text (invalid UTF-8 repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// How a child process ended.
public enum ChildProcessExit: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)
    public var succeeded: Bool { self == .exited(0) }
    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }
}

/// A child process that could not be started or watched.
public struct ChildProcessError: Error, Sendable, CustomStringConvertible {
    public var command: String
    public var reason: String
    public var description: String { "could not run \(command): \(reason)" }
}

/// The child's process group id, written once by the running body and read after it.
final class ProcessGroupBox: @unchecked Sendable {
    private let lock = NSLock()
    private var pgid: pid_t = 0
    func set(_ value: pid_t) { lock.withLock { pgid = value } }
    var value: pid_t { lock.withLock { pgid } }
}

/// Ends every process left in a process group: SIGTERM, then SIGKILL after a grace period.
public enum ProcessGroupReaper {
    /// Whether any process of the group is still alive (zombies awaiting their reaper do not count).
    public static func isAlive(group: pid_t) -> Bool {
        guard group > 0, kill(-group, 0) == 0 else { return false }
        #if os(Linux)
        return !livingMembers(of: group).isEmpty
        #else
        return true
        #endif
    }

    /// The pids of the group's members that are not zombies, read from `/proc`.
    public static func livingMembers(of group: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else { continue }
            members.append(pid)
        }
        return members
    }

    /// Terminates the group's remaining processes; returns once none is left.
    public static func terminate(group: pid_t, gracePeriod: Duration) async {
        guard isAlive(group: group) else { return }
        kill(-group, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + gracePeriod
        while isAlive(group: group) && clock.now < deadline {
            // Polling: the group's members are not our children, so there is nothing to wait on.
            try? await withUncancelledSleep(.milliseconds(20))
        }
        if isAlive(group: group) { kill(-group, SIGKILL) }
    }

    private static func withUncancelledSleep(_ duration: Duration) async throws {
        try await Task.detached { try await Task.sleep(for: duration) }.value
    }
}
