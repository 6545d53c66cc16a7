import Foundation
import AsyncHTTPClient

/// A real CNCF `distribution` registry (`docker-registry serve`) on 127.0.0.1 and a
/// free port, with its own storage folder; `stop()` ends it and removes the folder.
public final class RegistryServer: @unchecked Sendable {
    /// How the registry authenticates clients.
    public enum Auth: Sendable {
        case none
        /// htpasswd basic auth with one user.
        case basic(user: String, password: String)
        /// Bearer tokens from an external issuer (`auth: token`).
        case token(realm: String, service: String, issuer: String, rootCertBundle: String)
    }

    public let port: Int
    public let directory: TemporaryDirectory
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// `127.0.0.1:PORT`, as written in configs and references.
    public var host: String { "127.0.0.1:\(port)" }
    public var baseURL: URL { URL(string: "http://\(host)")! }

    /// Starts a registry and waits (with a deadline) until `/v2/` answers.
    public init(auth: Auth = .none, deadline: Duration = .seconds(20)) async throws {
        directory = try TemporaryDirectory(prefix: "gantry-registry")
        var lastError: Error?
        // A free port can be taken between asking and binding; try a few.
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let process = try Self.launch(port: port, auth: auth, directory: directory)
            do {
                try await Self.waitUntilServing(port: port, process: process, deadline: deadline)
                self.port = port
                self.process = process
                return
            } catch {
                lastError = error
                Self.terminate(process)
            }
        }
        directory.remove()
        throw lastError ?? TestSupportError("docker-registry did not start")
    }

    deinit { stop() }

    /// Stops the server (SIGTERM, then SIGKILL) and removes its storage.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        Self.terminate(process)
        directory.remove()
    }

    /// The registry's log, for diagnosing a failing test.
    public var log: String {
        (try? String(contentsOf: directory.url.appendingPathComponent("registry.log"), encoding: .utf8)) ?? ""
    }

    private static func launch(port: Int, auth: Auth, directory: TemporaryDirectory) throws -> Process {
        var authBlock = ""
        switch auth {
        case .none: break
        case .basic(let user, let password):
            let line = try runQuickTool("htpasswd", ["-Bbn", user, password])
            let file = try directory.write("htpasswd", line)
            authBlock = """
            auth:
              htpasswd:
                realm: gantry-test
                path: \(file)
            """
        case .token(let realm, let service, let issuer, let bundle):
            authBlock = """
            auth:
              token:
                realm: \(realm)
                service: \(service)
                issuer: \(issuer)
                rootcertbundle: \(bundle)
            """
        }
        let config = """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: false
        storage:
          filesystem:
            rootdirectory: \(directory.path)/data
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:\(port)
          secret: gantry-test-secret
        \(authBlock)
        """
        let configPath = try directory.write("config.yml", config)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try which("docker-registry"))
        process.arguments = ["serve", configPath]
        let logURL = directory.url.appendingPathComponent("registry.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func waitUntilServing(port: Int, process: Process, deadline: Duration) async throws {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        let url = URL(string: "http://127.0.0.1:\(port)/v2/")!
        while clock.now < end {
            guard process.isRunning else { throw TestSupportError("docker-registry exited with \(process.terminationStatus)") }
            if let status = try? await httpStatus(url), status == 200 || status == 401 { return }
            try await Task.sleep(for: .milliseconds(25))  // poll interval, bounded by the deadline
        }
        throw TestSupportError("docker-registry on port \(port) did not answer /v2/ within \(deadline)")
    }

    /// SIGTERM, then SIGKILL, with bounded waits only: this runs from `defer` on a thread of
    /// the test's pool, and Foundation reaps the child on its own queue, so an unbounded
    /// `waitUntilExit` could outlast it (a loaded full run once hung there on exited registries).
    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        if !exited(process, within: 5) {
            kill(process.processIdentifier, SIGKILL)
            _ = exited(process, within: 5)
        }
    }

    private static func exited(_ process: Process, within seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < end { usleep(10_000) }  // poll interval, bounded by the deadline
        return !process.isRunning
    }
}

/// The HTTP status of a GET (FoundationNetworking's URLSession stalls on 401 challenges
/// without a delegate, so this uses AsyncHTTPClient).
public func httpStatus(_ url: URL, headers: [String: String] = [:]) async throws -> Int {
    var request = HTTPClientRequest(url: url.absoluteString)
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
    return Int(response.status.code)
}

/// Runs `body` with a started registry and always stops it afterwards.
public func withRegistry<T>(auth: RegistryServer.Auth = .none, _ body: (RegistryServer) async throws -> T) async throws -> T {
    let registry = try await RegistryServer(auth: auth)
    defer { registry.stop() }
    return try await body(registry)
}

/// Runs `body` with `count` registries started at once, all stopped afterwards.
public func withRegistries<T>(_ count: Int, _ body: ([RegistryServer]) async throws -> T) async throws -> T {
    var registries: [RegistryServer] = []
    defer { registries.forEach { $0.stop() } }
    for _ in 0..<count { registries.append(try await RegistryServer()) }
    return try await body(registries)
}
