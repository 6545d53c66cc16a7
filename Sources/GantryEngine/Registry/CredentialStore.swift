import Foundation

/// A username and secret for one registry. Its description never shows the secret.
public struct RegistryCredential: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var secret: String

    public init(username: String, secret: String) {
        self.username = username
        self.secret = secret
        SecretRedaction.remember(self)
    }

    /// The `Authorization: Basic` value.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    public var description: String { "credential of user \(username)" }
}

/// Registry credentials the way docker finds them: a `config.json` with `auths`,
/// `credsStore` and `credHelpers`, and `docker-credential-<name> get` helpers.
public struct CredentialStore: Sendable {
    /// The config file read, or why it could not be; nil when there is none.
    let config: Result<DockerConfigFile, RegistryError>?
    let configPath: String?
    /// Folders searched for `docker-credential-*` helpers.
    let helperSearchPath: [String]

    /// A store with no credentials: every request is anonymous.
    public static let anonymous = CredentialStore(configPath: nil, helperSearchPath: [])

    /// Reads `config.json` in `directory`, `$DOCKER_CONFIG` or `~/.docker`, finding helpers on
    /// `helperSearchPath` or `$PATH`. A missing file means anonymous access; a broken one is
    /// reported when a credential is first needed.
    public static func fromDockerConfig(
        directory: String? = nil, helperSearchPath: [String]? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> CredentialStore {
        let folder = directory ?? environment["DOCKER_CONFIG"]
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.docker")
        let search = helperSearchPath ?? (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return CredentialStore(configPath: folder + "/config.json", helperSearchPath: search)
    }

    /// Reads the docker config file at `configPath` (nil: none), finding helpers in `helperSearchPath`.
    public init(configPath: String?, helperSearchPath: [String]) {
        self.configPath = configPath
        self.helperSearchPath = helperSearchPath
        guard let configPath, FileManager.default.fileExists(atPath: configPath) else {
            config = nil
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: configPath))
            config = .success(try JSONDecoder().decode(DockerConfigFile.self, from: data))
        } catch {
            config = .failure(RegistryError(.credentials, "cannot read docker config \(configPath): \(error)"))
        }
    }

    /// The credential for `registry` (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), or nil for anonymous access.
    /// A configured helper wins; an `auths` entry is the fallback.
    public func credential(for registry: String) async throws(RegistryError) -> RegistryCredential? {
        guard let config else { return nil }
        let file: DockerConfigFile
        switch config {
        case .success(let f): file = f
        case .failure(let error): throw error
        }
        let host = RegistryHost.canonical(registry)
        if let helper = file.helper(for: host),
            let found = try await CredentialHelper(name: helper, searchPath: helperSearchPath).get(serverURL: Self.serverURL(host)) {
            return found
        }
        return try file.inlineCredential(for: host, configPath: configPath ?? "config.json")
    }

    /// The key docker uses for a registry: Docker Hub's legacy URL, else the host.
    static func serverURL(_ host: String) -> String {
        host == "docker.io" ? "https://index.docker.io/v1/" : host
    }
}

/// The credential parts of docker's `config.json`.
struct DockerConfigFile: Decodable, Sendable {
    struct AuthEntry: Decodable, Sendable {
        var auth: String?
        var username: String?
        var password: String?
    }

    var auths: [String: AuthEntry]?
    var credsStore: String?
    var credHelpers: [String: String]?

    /// The helper for `host`: its `credHelpers` entry, else `credsStore`.
    func helper(for host: String) -> String? {
        if let entry = credHelpers?.first(where: { Self.host(ofKey: $0.key) == host }) { return entry.value }
        return credsStore.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The `auths` entry for `host` (`auth` is base64 of `user:password`).
    func inlineCredential(for host: String, configPath: String) throws(RegistryError) -> RegistryCredential? {
        guard let (key, entry) = auths?.first(where: { Self.host(ofKey: $0.key) == host }) else { return nil }
        if let auth = entry.auth, !auth.isEmpty {
            guard let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            else {
                throw RegistryError(.credentials, "\(configPath): auths.\"\(key)\".auth is not base64 of user:password")
            }
            return RegistryCredential(username: String(decoded[..<colon]), secret: String(decoded[decoded.index(after: colon)...]))
        }
        if let username = entry.username, let password = entry.password {
            return RegistryCredential(username: username, secret: password)
        }
        return nil
    }

    /// The canonical host a config key names (`https://index.docker.io/v1/` is `docker.io`).
    static func host(ofKey key: String) -> String {
        var rest = Substring(key)
        for scheme in ["https://", "http://"] where rest.hasPrefix(scheme) { rest = rest.dropFirst(scheme.count) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return RegistryHost.canonical(String(rest))
    }
}
