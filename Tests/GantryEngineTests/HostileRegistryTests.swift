import Foundation
@testable import GantryEngine
import GantryTestSupport
import Testing

/// Registries that send the client elsewhere: credentials stay on their registry's origin,
/// and what a registry echoes never shows a secret.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HostileRegistryTests {
    static let user = "ci", password = "s3cret-\(UUID().uuidString.prefix(6))"

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// A client holding credentials for `host` only (a docker config in `dir`).
    func withCredentialedClient<T>(
        for host: String, user: String = Self.user, password: String = Self.password,
        _ body: (RegistryClient) async throws -> T
    ) async throws -> T {
        try await withTemporaryDirectory { dir in
            let auth = Data("\(user):\(password)".utf8).base64EncodedString()
            try dir.write("docker/config.json", #"{"auths":{"\#(host)":{"auth":"\#(auth)"}}}"#)
            let credentials = CredentialStore.fromDockerConfig(directory: dir.path + "/docker", helperSearchPath: [], environment: [:])
            return try await withRegistryClient(credentials: credentials, body)
        }
    }

    /// Uploads a one-layer image to `registry` under each of `tags`; returns its manifest's descriptor and its config's digest.
    func pushImage(to registry: RegistryServer, tags: [String]) async throws -> (manifest: Descriptor, config: String) {
        try await withCredentialedClient(for: registry.host) { client in
            try await SyntheticImage.push("linux/amd64", to: try ImageReference.parse("\(registry.host)/acme/app"), tags: tags, client: client)
        }
    }

    @Test("a 307 to another port of the same IP gets no Authorization, for manifests and blobs alike")
    func redirectToAnotherPortCarriesNoCredentials() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            let (pushed, config) = try await pushImage(to: registry, tags: ["1"])
            try await withHostileRegistry(in: registry, upstreamAuthorization: Self.basic(Self.user, Self.password), tricks: [.redirectToOtherOrigin]) { hostile in
                try await withCredentialedClient(for: hostile.host) { client in
                    let fetched = try await client.manifest(try .parse("\(hostile.host)/acme/app:1"))
                    #expect(fetched.descriptor.digest == pushed.digest)
                    let bytes = try await client.blob(try .parse("\(hostile.host)/acme/app"), digest: config)
                    #expect(sha256Digest(bytes) == config)
                }
                let elsewhere = hostile.seenElsewhere
                #expect(elsewhere.contains { $0.target.contains("/manifests/1") } && elsewhere.contains { $0.target.contains("/blobs/\(config)") })
                #expect(elsewhere.allSatisfy { $0.authorization == nil }, "\(elsewhere)")
                #expect(hostile.seen.contains { $0.authorization != nil }, "the registry itself got the credentials")
            }
        }
    }

    @Test("a tag list's Link to another origin gets no Authorization; the listing is whole")
    func linkToAnotherOriginCarriesNoCredentials() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            _ = try await pushImage(to: registry, tags: ["1", "2", "3"])
            try await withHostileRegistry(in: registry, upstreamAuthorization: Self.basic(Self.user, Self.password), tricks: [.linkToOtherOrigin]) { hostile in
                let tags = try await withCredentialedClient(for: hostile.host) { client in
                    try await client.tags(try .parse("\(hostile.host)/acme/app"))
                }
                #expect(tags == ["1", "2", "3"])
                let elsewhere = hostile.seenElsewhere
                #expect(elsewhere.contains { $0.target.contains("/tags/list?last=1") })
                #expect(elsewhere.allSatisfy { $0.authorization == nil }, "\(elsewhere)")
            }
        }
    }

    @Test("an upload Location on another origin gets the blob but no Authorization")
    func uploadLocationOnAnotherOriginCarriesNoCredentials() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            try await withHostileRegistry(in: registry, upstreamAuthorization: Self.basic(Self.user, Self.password), tricks: [.uploadOnOtherOrigin]) { hostile in
                let blob = Data("uploaded elsewhere \(UUID())".utf8)
                try await withCredentialedClient(for: hostile.host) { client in
                    try await client.uploadBlob(try .parse("\(hostile.host)/acme/app"), digest: sha256Digest(blob), data: blob)
                }
                let elsewhere = hostile.seenElsewhere
                #expect(elsewhere.contains { $0.method == "PUT" && $0.target.contains("digest=\(sha256Digest(blob))") })
                #expect(elsewhere.allSatisfy { $0.authorization == nil }, "\(elsewhere)")
                let stored = try await withCredentialedClient(for: registry.host) { client in
                    try await client.blobExists(try .parse("\(registry.host)/acme/app"), digest: sha256Digest(blob))
                }
                #expect(stored)
            }
        }
    }

    @Test("a bearer token a registry echoes in a 403 is redacted in the error and what the journal records")
    func bearerTokenEchoedInA403IsRedacted() async throws {
        let issuer = try await TokenIssuer(users: [Self.user: Self.password])
        defer { issuer.stop() }
        try await withRegistry(auth: issuer.registryAuth) { registry in
            try await withHostileRegistry(in: registry, tricks: [.echoAuthorization(pathContaining: "/manifests/")]) { hostile in
                try await withCredentialedClient(for: hostile.host) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(try .parse("\(hostile.host)/acme/app:1")) }
                    let sent = try #require(hostile.seen.compactMap(\.authorization).first { $0.hasPrefix("Bearer ") })
                    let token = String(sent.dropFirst("Bearer ".count))
                    for text in [error.map(String.init(describing:)) ?? "", RecordedError(try #require(error)).message] {
                        #expect(!text.contains(token), "\(text)")
                        #expect(text.contains("access denied for Bearer [redacted]"), "\(text)")
                    }
                }
            }
        }
    }

    @Test("a Basic value of a three-letter password a registry echoes in a 403 is redacted, and so is the password")
    func shortPasswordEchoedInA403IsRedacted() async throws {
        let (user, password) = ("bob", "q~z")
        try await withRegistry(auth: .basic(user: user, password: password)) { registry in
            try await withHostileRegistry(in: registry, tricks: [.echoAuthorization(pathContaining: "/manifests/")]) { hostile in
                try await withCredentialedClient(for: hostile.host, user: user, password: password) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(try .parse("\(hostile.host)/acme/app:1")) }
                    let text = RecordedError(try #require(error)).message
                    #expect(!text.contains(Self.basic(user, password).dropFirst("Basic ".count)), "\(text)")
                    #expect(text.contains("access denied for Basic [redacted]"), "\(text)")
                    #expect(SecretRedaction.redact("user bob, password q~z") == "user bob, password [redacted]")
                }
            }
        }
    }

    // MARK: The origin rule, without traffic

    let configuration = RegistryClientConfiguration(insecureHosts: ["plain.example:5000"])

    func follow(_ location: String, from base: String) throws(RegistryError) -> Origin {
        try Origin.follow(location, from: base, configuration: configuration).origin
    }

    @Test("origins are scheme, host and port: another port of one IP is another origin; default ports are the same")
    func originsCompareSchemeHostAndPort() throws {
        let registry = Origin(registry: "127.0.0.1:5000", configuration: configuration)
        #expect(try follow("/v2/app/blobs/uploads/x", from: "http://127.0.0.1:5000/v2/app/blobs/uploads/") == registry)
        #expect(try follow("http://127.0.0.1:5001/v2/", from: "http://127.0.0.1:5000/v2/") != registry)
        #expect(try follow("http://127.0.0.2:5000/v2/", from: "http://127.0.0.1:5000/v2/") != registry)
        #expect(try follow("https://REGISTRY.example:443/v2/", from: "https://registry.example/v2/") == Origin(registry: "registry.example", configuration: configuration))
        #expect(Origin(registry: "registry.example", configuration: configuration).description == "https://registry.example")
    }

    @Test("never from HTTPS down to HTTP, and plain HTTP only to loopback or a configured insecure registry")
    func plainHTTPIsRefusedUnlessLoopbackOrConfigured() throws {
        for (location, base) in [
            ("http://registry.example/v2/app/blobs/x", "https://registry.example/v2/app/blobs/x"),
            ("http://127.0.0.1:5000/v2/", "https://registry.example/v2/"),
            ("http://storage.example/upload?x=1", "http://127.0.0.1:5000/v2/app/blobs/uploads/"),
            ("http://plain.example:5001/v2/", "http://plain.example:5000/v2/"),
            ("ftp://registry.example/", "https://registry.example/v2/"),
        ] {
            let error = #expect(throws: RegistryError.self, "\(location) from \(base)") { try follow(location, from: base) }
            #expect(error?.kind == .unsafeURL)
        }
        #expect(try follow("http://plain.example:5000/v2/", from: "http://127.0.0.1:5000/v2/").scheme == "http")
        #expect(try follow("https://storage.example/blob?sig=1", from: "http://127.0.0.1:5000/v2/").scheme == "https")
    }

    @Test("a token realm gets the registry's credentials over HTTPS, on loopback or on the registry's own origin")
    func tokenRealmsGetCredentialsOnlyOverHTTPSOrLoopback() throws {
        let insecure = Origin(registry: "plain.example:5000", configuration: configuration)
        #expect(try follow("https://auth.example/token", from: "https://registry.example/v2/").mayReceiveCredentials(asRealmOf: Origin(registry: "registry.example", configuration: configuration)))
        #expect(try follow("http://127.0.0.1:6000/token", from: "http://127.0.0.1:5000/v2/").mayReceiveCredentials(asRealmOf: Origin(registry: "127.0.0.1:5000", configuration: configuration)))
        #expect(try follow("/token", from: "http://plain.example:5000/v2/").mayReceiveCredentials(asRealmOf: insecure))
        let configured = RegistryClientConfiguration(insecureHosts: ["plain.example:5000", "auth.plain.example"])
        let elsewhere = try Origin.follow("http://auth.plain.example/token", from: "http://plain.example:5000/v2/", configuration: configured).origin
        #expect(!elsewhere.mayReceiveCredentials(asRealmOf: insecure))
    }
}
