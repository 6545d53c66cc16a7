import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A detached tmux session of a fixed size running one command, for driving a terminal
/// program the way a person would: send keys, read the screen, wait for text to appear.
///
/// Each session uses its own tmux server socket (`-L`), so tests never touch the user's
/// tmux and `close()` (kill-server) removes everything the session started.
public final class TmuxSession: @unchecked Sendable {
    public let name: String
    public let width: Int
    public let height: Int
    private let socket: String
    private let lock = NSLock()
    private var closed = false

    /// Starts `command` (run by `sh -c`) in a new session of `width`×`height` cells, with
    /// `environment` added to the tmux server's environment (TERM defaults to xterm-256color).
    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) async throws {
        name = "gantry-\(UUID().uuidString.prefix(8))"
        socket = "gantry-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        var env = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        env.merge(environment) { $1 }
        try await Self.startServer(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command],
                             environment: env)
        // Keep the pane after the command exits, so its last screen can still be read.
        _ = try? await tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { close() }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `C-c`, `Up`) or literal text with `literal: true`.
    public func send(_ keys: String..., literal: Bool = false) async throws {
        try await tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as text (`escapes` keeps colours and attributes, as `capture-pane -e`).
    public func capture(escapes: Bool = false) async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
    }

    /// Resizes the window (the program sees SIGWINCH).
    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `text` appears; throws with the last screen past `deadline`.
    @discardableResult
    public func waitFor(_ text: String, deadline: Duration = Patience.wait) async throws -> String {
        try await waitUntil("\"\(text)\"", deadline: deadline) { $0.contains(text) }
    }

    /// Polls the screen until `condition` holds; throws with the last screen past `deadline`.
    @discardableResult
    public func waitUntil(_ what: String, deadline: Duration = Patience.wait, _ condition: (String) -> Bool) async throws -> String {
        try await poll("\(what) on the screen of tmux session \(name)", deadline: deadline, every: .milliseconds(50),
                       observe: { try await capture() }, describe: { $0 }, until: condition)
    }

    /// Polls until the program in the pane has exited.
    public func waitUntilExited(deadline: Duration = Patience.wait) async throws {
        try await poll("the program of tmux session \(name) to exit", deadline: deadline, every: .milliseconds(50),
                       observe: { try await isRunning() }, describe: { $0 ? "still running" : "exited" }, until: { !$0 })
    }

    /// The process id of the program in the pane.
    public func panePID() async throws -> Int32? {
        Int32(try await tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// True while the program in the pane runs.
    public func isRunning() async throws -> Bool {
        try await tmux(["display-message", "-p", "-t", name, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    /// Kills the session as `tmux kill-session` does when a user closes it: the program's
    /// terminal hangs up under it (SIGHUP, then a closed pty).
    public func killSession() async throws {
        try await tmux(["kill-session", "-t", name])
    }

    /// Ends the session and its tmux server (and with them the program). It runs from
    /// `defer`, so the short `kill-server` client runs on a thread of its own, not the pool.
    public func close() {
        let first = lock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        let socket = socket
        Thread { _ = try? runQuickTool("tmux", ["-L", socket, "kill-server"]) }.start()
    }

    /// Runs the first tmux client, which forks the long-lived server. The server inherits the
    /// client's signal mask and file descriptors; a Swift process spawns children from threads
    /// that block signals (tmux would then never see SIGCHLD, and `kill-server` would hang) and
    /// holds pipes other tests read to the end, so spawn with an empty mask and default signal
    /// actions, through bash that closes everything but /dev/null on 0, 1 and 2.
    private static func startServer(_ arguments: [String], environment: [String: String]) async throws {
        let tmux = try which("tmux")
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        // bash closes every other inherited descriptor, then becomes tmux.
        let closeInherited = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        let bash = try which("bash")
        let argv = ([bash, "-c", closeInherited, "bash", tmux] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, bash, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw TestSupportError("could not start tmux: errno \(spawned)") }
        // The client exits once the server runs; polled (WNOHANG), so no thread of the pool
        // waits on it, and bounded, so a wedged tmux is an error that names it, not a hang.
        var status: Int32 = 0
        do {
            try await poll("tmux \(arguments.joined(separator: " ")) to start its server") {
                let reaped = waitpid(pid, &status, WNOHANG)
                return reaped == pid || (reaped < 0 && errno != EINTR)
            }
        } catch {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)  // just killed: returns at once
            throw error
        }
        guard status == 0 else {
            throw TestSupportError("tmux \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        try await runTool("tmux", ["-L", socket] + arguments)
    }
}
