import CGantryProcess
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run in its own process group, its stdout and stderr streamed as
/// lines. Cancelling the calling task sends SIGTERM to the whole group, then SIGKILL
/// after `gracePeriod`; anything of the group still alive when the child has exited
/// is torn down the same way, so no process is left behind. On Linux the child also dies
/// with Gantry, however Gantry ends (SIGKILL, a closed terminal, a crash): see `ChildSpawner`.
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
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        ActivityLog.record(.command(SecretRedaction.redact(ShellQuote.join([executable] + arguments))))
        let started: ChildWatch
        do {
            started = try await ChildSpawner.shared.start(
                path: path, arguments: [executable] + arguments, environment: variables.map { "\($0)=\($1)" },
                workingDirectory: workingDirectory, gracePeriod: gracePeriod)
        } catch {
            throw ChildProcessError(command: commandLine, reason: "\(error)")
        }
        let exit = await withTaskCancellationHandler {
            var exit = ChildProcessExit.signalled(SIGKILL)
            for await event in started.events {
                switch event {
                case .line(let line): onLine(line)
                case .ended(let ended): exit = ended
                }
            }
            return exit
        } onCancel: {
            started.terminate()
        }
        await ProcessGroupReaper.terminate(group: started.group, gracePeriod: gracePeriod)
        try Task.checkCancellation()
        return exit
    }
}

/// Starts every child process (`gantry_spawn`: the child in a group of its own, under a
/// supervisor that kills that group when Gantry dies) from one thread that lives as long as
/// Gantry. The supervisor's parent-death signal (`PR_SET_PDEATHSIG`) fires when the *thread*
/// that forked it exits, and the concurrency pool's threads come and go: a build started
/// from one would be killed when that thread retired. This thread never does, so the signal
/// fires only when Gantry itself ends, however it ends. A process group killed from Gantry's
/// signal handlers would not cover SIGKILL, a second signal's immediate exit, or a crash.
final class ChildSpawner: @unchecked Sendable {
    static let shared = ChildSpawner()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "gantry-spawner"
        thread.start()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// Forks and execs on the spawner thread; the output is read and the exit awaited on a
    /// thread of the child's own (`ChildWatch`).
    func start(path: String, arguments: [String], environment: [String], workingDirectory: String?, gracePeriod: Duration) async throws -> ChildWatch {
        let (output, error) = (try Pipe.cloexec(), try Pipe.cloexec())
        let (supervisor, group, spawnError): (pid_t, pid_t, Int32) = await withCheckedContinuation { continuation in
            condition.lock()
            jobs.append {
                var group: pid_t = 0
                let supervisor = Self.spawn(path, arguments, environment, workingDirectory, output.write, error.write, &group)
                let spawnError = errno
                close(output.write)
                close(error.write)
                continuation.resume(returning: (supervisor, group, spawnError))
            }
            condition.signal()
            condition.unlock()
        }
        guard supervisor > 0 else {
            close(output.read)
            close(error.read)
            throw ChildSpawnError(errno: spawnError)
        }
        return ChildWatch(supervisor: supervisor, group: group, output: output.read, error: error.read, gracePeriod: gracePeriod)
    }

    /// `gantry_spawn` with C strings made from Swift's, freed afterwards; errno is kept.
    private static func spawn(
        _ path: String, _ arguments: [String], _ environment: [String], _ workingDirectory: String?, _ out: Int32, _ err: Int32, _ group: inout pid_t
    ) -> pid_t {
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            let saved = errno
            for pointer in argv + envp { free(pointer) }
            errno = saved
        }
        return workingDirectory.withOptionalCString { cwd in gantry_spawn(path, argv, envp, cwd, out, err, &group) }
    }
}

/// A pipe's two ends, both close-on-exec (a child gets only the end it is given, as its
/// stdout or stderr, so another child never holds this one's pipe open).
private struct Pipe {
    var read: Int32
    var write: Int32

    static func cloexec() throws -> Pipe {
        var fds: [Int32] = [0, 0]
        guard gantry_pipe_cloexec(&fds) == 0 else { throw ChildSpawnError(errno: errno) }
        return Pipe(read: fds[0], write: fds[1])
    }
}

/// Why a child could not be started: `gantry_spawn`'s errno.
struct ChildSpawnError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { String(cString: strerror(errno)) }
}

extension Optional<String> {
    fileprivate func withOptionalCString<T>(_ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let self else { return body(nil) }
        return self.withCString { body($0) }
    }
}

/// Watches one started child on a thread of its own: reads its stdout and stderr into
/// lines, reaps its supervisor (which ends as the child does), and tears down the child's
/// group once it has exited or was told to stop (SIGTERM, then SIGKILL after the grace
/// period), so a member holding the pipes open cannot keep the run waiting.
final class ChildWatch: @unchecked Sendable {
    enum Event: Sendable {
        case line(OutputLine)
        case ended(ChildProcessExit)
    }

    /// The supervisor, reaped here, and the child's process group (the child's pid).
    let supervisor: pid_t
    let group: pid_t
    let events: AsyncStream<Event>
    private let lock = NSLock()
    private var stopRequested: ContinuousClock.Instant?

    init(supervisor: pid_t, group: pid_t, output: Int32, error: Int32, gracePeriod: Duration) {
        self.supervisor = supervisor
        self.group = group
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.events = events
        let thread = Thread { [self] in
            self.watch(streams: [(output, .stdout), (error, .stderr)], gracePeriod: gracePeriod, into: continuation)
        }
        thread.name = "gantry-child-\(group)"
        thread.start()
    }

    /// Asks for the group's teardown (the calling task was cancelled).
    func terminate() {
        lock.withLock { stopRequested = stopRequested ?? .now }
    }

    private func watch(streams: [(Int32, OutputLine.Stream)], gracePeriod: Duration, into continuation: AsyncStream<Event>.Continuation) {
        var open = streams.map { (fd: $0.0, stream: $0.1, splitter: LineSplitter()) }
        var exit: ChildProcessExit?
        var signalled: (term: Bool, kill: Bool) = (false, false)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty || exit == nil {
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 50)
            for (i, polled) in fds.enumerated().reversed() where polled.revents != 0 {
                let (fd, stream) = (open[i].fd, open[i].stream)
                let emit = { (bytes: [UInt8]) -> Void in _ = continuation.yield(.line(OutputLine(stream: stream, bytes: bytes))) }
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    buffer.withUnsafeBytes { bytes in open[i].splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[..<count]), emit) }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open[i].splitter.finish(emit)
                    close(fd)
                    open.remove(at: i)
                }
            }
            if exit == nil {
                var status: Int32 = 0
                if waitpid(supervisor, &status, WNOHANG) == supervisor {
                    exit = Self.exit(status)
                    terminate()
                }
            }
            // The group's teardown: once the child exited (its leftovers) or on request.
            if let since = lock.withLock({ stopRequested }) {
                if !signalled.term {
                    kill(-group, SIGTERM)
                    signalled.term = true
                } else if !signalled.kill, ContinuousClock.now - since >= gracePeriod {
                    kill(-group, SIGKILL)
                    signalled.kill = true
                }
            }
        }
        continuation.yield(.ended(exit ?? .signalled(SIGKILL)))
        continuation.finish()
    }

    private static func exit(_ status: Int32) -> ChildProcessExit {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
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

    /// Terminates the group's remaining processes; returns once none is left (or, should a
    /// member outlive SIGKILL, stuck in the kernel, after `killWait`).
    public static func terminate(group: pid_t, gracePeriod: Duration, killWait: Duration = .seconds(5)) async {
        guard isAlive(group: group) else { return }
        kill(-group, SIGTERM)
        await waitUntilGone(group, for: gracePeriod)
        guard isAlive(group: group) else { return }
        // A killed process is gone only once the kernel has run its exit: under load, later.
        kill(-group, SIGKILL)
        await waitUntilGone(group, for: killWait)
    }

    private static func waitUntilGone(_ group: pid_t, for duration: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while isAlive(group: group) && clock.now < deadline {
            // Polling: the group's members are not our children, so there is nothing to wait on.
            try? await withUncancelledSleep(.milliseconds(20))
        }
    }

    private static func withUncancelledSleep(_ duration: Duration) async throws {
        try await Task.detached { try await Task.sleep(for: duration) }.value
    }
}
