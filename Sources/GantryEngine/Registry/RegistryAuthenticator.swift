import Foundation

/// Answers registry auth challenges: remembers each host's scheme, sends Basic credentials
/// or fetches Bearer tokens for exactly the scopes an operation needs, and caches tokens
/// until they expire. Concurrent requests for the same token share one fetch.
actor RegistryAuthenticator {
    /// Sends a GET to a token endpoint (absolute URL) with optional headers.
    typealias TokenFetch = @Sendable (_ url: String, _ headers: [(String, String)]) async throws -> RegistryResponse

    private struct BearerToken: Sendable {
        var value: String
        var expires: ContinuousClock.Instant
    }

    private let credentials: CredentialStore
    private let configuration: RegistryClientConfiguration
    private var challenges: [String: AuthChallenge] = [:]
    private var credentialCache: [String: RegistryCredential?] = [:]
    private var tokens: [String: BearerToken] = [:]
    private var pendingTokens: [String: Task<BearerToken, Error>] = [:]

    init(credentials: CredentialStore, configuration: RegistryClientConfiguration) {
        self.credentials = credentials
        self.configuration = configuration
    }

    /// The `Authorization` value for a request to `host` needing `scopes`, or nil while the
    /// host has not asked for auth.
    func authorization(host: String, scopes: [String], fetch: @escaping TokenFetch) async throws -> String? {
        guard let challenge = challenges[host] else { return nil }
        switch challenge.scheme {
        case .basic:
            guard let credential = try await credential(for: host) else {
                throw RegistryError(.unauthorized, "\(host) asks for a login and the docker config has no credentials for it")
            }
            return credential.basicAuthorization
        case .bearer:
            return "Bearer " + (try await token(host: host, challenge: challenge, scopes: scopes, fetch: fetch)).value
        }
    }

    /// Records a 401's challenge and forgets a token that was just refused.
    func challenged(host: String, header: String?, scopes: [String], request: String) throws {
        guard let header, let challenge = AuthChallenge.parse(header) else {
            throw RegistryError(.unauthorized, "\(request) was refused (401) without a Basic or Bearer challenge", status: 401)
        }
        challenges[host] = challenge
        tokens[Self.tokenKey(host, scopes)] = nil
    }

    /// Whether a credential is configured for `host` (for error messages).
    func hasCredential(for host: String) async -> Bool {
        ((try? await credential(for: host)) ?? nil) != nil
    }

    private func credential(for host: String) async throws -> RegistryCredential? {
        if let cached = credentialCache[host] { return cached }
        let found = try await credentials.credential(for: host)
        credentialCache[host] = .some(found)
        return found
    }

    private static func tokenKey(_ host: String, _ scopes: [String]) -> String {
        host + " " + scopes.sorted().joined(separator: " ")
    }

    private func token(host: String, challenge: AuthChallenge, scopes: [String], fetch: @escaping TokenFetch) async throws -> BearerToken {
        let key = Self.tokenKey(host, scopes)
        if let cached = tokens[key], cached.expires > .now { return cached }
        if let pending = pendingTokens[key] { return try await pending.value }
        let credential = try await credential(for: host)
        let configuration = configuration
        let task = Task {
            try await Self.fetchToken(challenge: challenge, scopes: scopes, credential: credential, host: host, configuration: configuration, fetch: fetch)
        }
        pendingTokens[key] = task
        defer { pendingTokens[key] = nil }
        let token = try await task.value
        tokens[key] = token
        return token
    }

    /// GET realm?service=..&scope=..&scope=.. (Basic auth when there is a credential).
    private static func fetchToken(
        challenge: AuthChallenge, scopes: [String], credential: RegistryCredential?, host: String,
        configuration: RegistryClientConfiguration, fetch: TokenFetch
    ) async throws -> BearerToken {
        guard let given = challenge.realm, !given.isEmpty else {
            throw RegistryError(.unauthorized, "\(host) sent a Bearer challenge without a usable realm")
        }
        let registry = Origin(registry: host, configuration: configuration)
        let (realm, realmOrigin) = try Origin.follow(given, from: registry.description + "/v2/", configuration: configuration)
        if credential != nil, !realmOrigin.mayReceiveCredentials(asRealmOf: registry) {
            throw RegistryError(.unsafeURL, "\(host) sent a token realm \(realmOrigin) that is plain HTTP on another host; refusing to send credentials there")
        }
        var query: [(String, String)] = []
        if let service = challenge.service { query.append(("service", service)) }
        let wanted = scopes.isEmpty ? (challenge.scope.map { [$0] } ?? []) : scopes
        query += wanted.map { ("scope", $0) }
        let separator = realm.contains("?") ? "&" : "?"
        let url = realm + (query.isEmpty ? "" : separator + query.map { "\($0)=\(percentEncoded($1))" }.joined(separator: "&"))
        var headers: [(String, String)] = []
        if let credential { headers.append(("Authorization", credential.basicAuthorization)) }
        let response = try await fetch(url, headers)
        guard response.status == 200 else {
            let who = credential.map { "the credentials of user \($0.username)" } ?? "an anonymous request"
            var error = RegistryError.from(status: response.status, body: response.body, request: "token request to \(realmOrigin.authority) for \(host)")
            error.message += " (\(who))"
            if response.status == 401 || response.status == 403 { error.kind = .unauthorized }
            throw error
        }
        struct Answer: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
            let value = answer.token ?? answer.access_token, !value.isEmpty
        else {
            throw RegistryError(.invalidResponse, "the token endpoint of \(host) answered without a token")
        }
        SecretRedaction.remember(token: value)
        // Docker treats a missing or tiny lifetime as 60 s; renew a few seconds early.
        let lifetime = max(answer.expires_in ?? 60, 60)
        return BearerToken(value: value, expires: .now + .seconds(lifetime - 5))
    }

    private static func percentEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:/,")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
