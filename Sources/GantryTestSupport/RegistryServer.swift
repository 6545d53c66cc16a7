import Foundation
import AsyncHTTPClient
import NIOSSL

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
    /// The CA whose certificate the registry serves HTTPS with; nil: plain HTTP.
    public let tls: PrivateCA?
    public let directory: TemporaryDirectory
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// `127.0.0.1:PORT`, as written in configs and references.
    public var host: String { "127.0.0.1:\(port)" }
    public var baseURL: URL { URL(string: "\(tls == nil ? "http" : "https")://\(host)")! }

    /// Starts a registry (serving HTTPS with a certificate `tls` signed, when given) and
    /// waits (with a deadline) until `/v2/` answers.
    public init(auth: Auth = .none, tls: PrivateCA? = nil, deadline: Duration = Patience.wait) async throws {
        directory = try TemporaryDirectory(prefix: "gantry-registry")
        self.tls = tls
        var lastError: Error?
        // A free port can be taken between asking and binding; try a few.
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let process = try await Self.launch(port: port, auth: auth, tls: tls, directory: directory)
            do {
                try await Self.waitUntilServing(port: port, tls: tls, process: process, deadline: deadline)
                self.port = port
                self.process = process
                return
            } catch {
                lastError = error
                await Self.end(process)
            }
        }
        directory.remove()
        throw lastError ?? TestSupportError("docker-registry did not start")
    }

    deinit { stop() }

    /// Stops the server from synchronous code (`deinit`, `defer`): SIGTERM now; the bounded
    /// wait, SIGKILL and the removal of its storage happen on a thread of their own, never on
    /// the test's pool.
    public func stop() {
        guard claimStop() else { return }
        let (process, directory) = (process, directory)
        if process.isRunning { process.terminate() }
        Thread {
            Self.awaitExitBlocking(process)
            directory.remove()
        }.start()
    }

    /// Stops the server and waits (without holding a thread) until it has exited and its
    /// storage is gone: SIGTERM, then SIGKILL past `Patience.exit`.
    public func shutdown() async {
        guard claimStop() else { return }
        await Self.end(process)
        directory.remove()
    }

    private func claimStop() -> Bool {
        lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
    }

    /// The registry's log, for diagnosing a failing test.
    public var log: String {
        (try? String(contentsOf: directory.url.appendingPathComponent("registry.log"), encoding: .utf8)) ?? ""
    }

    private static func launch(port: Int, auth: Auth, tls: PrivateCA?, directory: TemporaryDirectory) async throws -> Process {
        var authBlock = ""
        switch auth {
        case .none: break
        case .basic(let user, let password):
            let line = try await runTool("htpasswd", ["-Bbn", user, password])
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
        let tlsBlock = tls.map { ca in
            """
              tls:
                certificate: \(ca.serverCertificate)
                key: \(ca.serverKey)
            """
        } ?? ""
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
        \(tlsBlock)
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
        try process.runUnblocked()
        return process
    }

    private static func waitUntilServing(port: Int, tls: PrivateCA?, process: Process, deadline: Duration) async throws {
        let url = URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)/v2/")!
        try await poll("docker-registry on port \(port) to answer /v2/", deadline: deadline, observe: { () async throws -> String in
            guard process.isRunning else { throw TestSupportError("docker-registry exited with \(process.terminationStatus)") }
            do { return "HTTP \(try await httpStatus(url, trusting: tls))" } catch { return "\(error)" }
        }, until: { $0 == "HTTP 200" || $0 == "HTTP 401" })
    }

    /// SIGTERM, then SIGKILL, each wait bounded by `Patience.exit` and polled with `Task.sleep`.
    static func end(_ process: Process) async {
        for signal in [SIGTERM, SIGKILL] where process.isRunning {
            kill(process.processIdentifier, signal)
            _ = try? await poll("docker-registry (pid \(process.processIdentifier)) to exit", deadline: Patience.exit) { !process.isRunning }
        }
    }

    /// The same from a thread of its own (`stop()`'s clean-up thread).
    private static func awaitExitBlocking(_ process: Process) {
        for signal in [SIGTERM, SIGKILL] where process.isRunning {
            kill(process.processIdentifier, signal)
            let end = ContinuousClock.now + Patience.exit
            while process.isRunning && ContinuousClock.now < end { usleep(10_000) }  // its own thread, not the pool
        }
    }
}

/// The HTTP status of a GET (FoundationNetworking's URLSession stalls on 401 challenges
/// without a delegate, so this uses AsyncHTTPClient).
public func httpStatus(_ url: URL, headers: [String: String] = [:], trusting ca: PrivateCA? = nil) async throws -> Int {
    var request = HTTPClientRequest(url: url.absoluteString)
    if let ca {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.file(ca.certificate)]
        request.tlsConfiguration = tls
    }
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
    return Int(response.status.code)
}

/// Runs `body` with a started registry and always stops it afterwards.
public func withRegistry<T>(auth: RegistryServer.Auth = .none, _ body: (RegistryServer) async throws -> T) async throws -> T {
    try await withRegistries(1, auth: auth) { try await body($0[0]) }
}

/// Runs `body` with `count` registries started at once; all are stopped (and awaited)
/// afterwards, whether `body` returned or threw.
public func withRegistries<T>(
    _ count: Int, auth: RegistryServer.Auth = .none, tls: PrivateCA? = nil, _ body: ([RegistryServer]) async throws -> T
) async throws -> T {
    var registries: [RegistryServer] = []
    func shutdown() async { for registry in registries { await registry.shutdown() } }
    do {
        for _ in 0..<count { registries.append(try await RegistryServer(auth: auth, tls: tls)) }
        let result = try await body(registries)
        await shutdown()
        return result
    } catch {
        await shutdown()
        throw error
    }
}
