import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Docker-compatible auth: config file credentials, credential helpers, Basic and Bearer challenges.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RegistryAuthTests {
    static let user = "ci", password = "s3cret-\(UUID().uuidString.prefix(6))"

    /// Writes a docker `config.json` into `dir` and returns a store reading it, with helpers searched in `dir`.
    func store(_ dir: TemporaryDirectory, _ json: String) throws -> CredentialStore {
        try dir.write("docker/config.json", json)
        return .fromDockerConfig(directory: dir.path + "/docker", helperSearchPath: [dir.path], environment: [:])
    }

    func authsEntry(_ host: String) -> String {
        let auth = Data("\(Self.user):\(Self.password)".utf8).base64EncodedString()
        return #"{"auths":{"\#(host)":{"auth":"\#(auth)"}}}"#
    }

    @Test func basicAuthUsesCredentialsFromTheDockerConfigFile() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            try await withImageFixtures(credentials: "\(Self.user):\(Self.password)") { fixtures in
                let text = "\(registry.host)/acme/app:1"
                try await fixtures.pushImage(platform: "linux/amd64", to: text)
                try await withTemporaryDirectory { dir in
                    let credentials = try store(dir, authsEntry("http://\(registry.host)"))
                    try await withRegistryClient(credentials: credentials) { client in
                        let descriptor = try await client.resolve(try .parse(text))
                        #expect(descriptor?.digest == (try await Skopeo.digestWithCredentials(text)))
                    }
                }
            }
        }
    }

    @Test func withoutCredentialsTheErrorSaysSoAndNeverShowsSecrets() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            try await withTemporaryDirectory { dir in
                let wrong = Data("\(Self.user):wrong-\(Self.password)".utf8).base64EncodedString()
                let credentials = try store(dir, #"{"auths":{"\#(registry.host)":{"auth":"\#(wrong)"}}}"#)
                for store in [CredentialStore.anonymous, credentials] {
                    try await withRegistryClient(credentials: store) { client in
                        let error = await #expect(throws: RegistryError.self) { try await client.resolve(try .parse("\(registry.host)/acme/app:1")) }
                        #expect(error?.kind == .unauthorized)
                        #expect(error?.description.contains(Self.password) == false)
                        #expect(error?.description.contains(wrong) == false)
                    }
                }
            }
        }
    }

    @Test func credHelpersWinOverAuthsAndTheHelperProtocolIsSpoken() async throws {
        try await withRegistry(auth: .basic(user: Self.user, password: Self.password)) { registry in
            try await withImageFixtures(credentials: "\(Self.user):\(Self.password)") { fixtures in
                let text = "\(registry.host)/acme/app:1"
                try await fixtures.pushImage(platform: "linux/amd64", to: text)
                try await withTemporaryDirectory { dir in
                    // The helper answers only for this registry, and logs what it was asked.
                    try dir.write("docker-credential-test", """
                    #!/bin/sh
                    read server
                    echo "$1 $server" >> "\(dir.path)/helper.log"
                    if [ "$server" = "\(registry.host)" ]; then
                      printf '{"ServerURL":"%s","Username":"\(Self.user)","Secret":"\(Self.password)"}' "$server"
                    else
                      echo "credentials not found in native keychain"; exit 1
                    fi
                    """)
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path + "/docker-credential-test")
                    let wrong = Data("nobody:nothing".utf8).base64EncodedString()
                    let credentials = try store(dir, """
                    {"auths":{"\(registry.host)":{"auth":"\(wrong)"}},"credsStore":"absent-store","credHelpers":{"\(registry.host)":"test"}}
                    """)
                    try await withRegistryClient(credentials: credentials) { client in
                        let descriptor = try await client.resolve(try .parse(text))
                        #expect(descriptor?.digest == (try await Skopeo.digestWithCredentials(text)))
                    }
                    let log = try String(contentsOfFile: dir.path + "/helper.log", encoding: .utf8)
                    #expect(log == "get \(registry.host)\n")
                }
            }
        }
    }

    @Test func bearerTokensAreFetchedForPullScopeOnlyAndCached() async throws {
        let issuer = try await TokenIssuer(users: [Self.user: Self.password])
        defer { issuer.stop() }
        try await withRegistry(auth: issuer.registryAuth) { registry in
            try await withImageFixtures(credentials: "\(Self.user):\(Self.password)") { fixtures in
                let text = "\(registry.host)/acme/app:1"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [text])
                let before = issuer.requestedScopes.count
                try await withTemporaryDirectory { dir in
                    let credentials = try store(dir, authsEntry(registry.host))
                    try await withRegistryClient(credentials: credentials) { client in
                        let reference = try ImageReference.parse(text)
                        let descriptor = try #require(try await client.resolve(reference))
                        let index = try #require(try await client.manifest(reference.with(digest: descriptor.digest)).index)
                        for entry in index.manifests { _ = try await client.manifest(reference.with(digest: entry.digest)) }
                        #expect(await client.statistics["GET token"] == 1)
                    }
                }
                let ours = issuer.requestedScopes.dropFirst(before)
                #expect(Array(ours) == [["repository:acme/app:pull"]])
            }
        }
    }

    @Test func anonymousBearerTokensWorkForPublicPulls() async throws {
        let issuer = try await TokenIssuer(users: [Self.user: Self.password], anonymousPull: true)
        defer { issuer.stop() }
        try await withRegistry(auth: issuer.registryAuth) { registry in
            try await withImageFixtures(credentials: "\(Self.user):\(Self.password)") { fixtures in
                let text = "\(registry.host)/acme/app:1"
                try await fixtures.pushImage(platform: "linux/arm64", to: text)
                try await withRegistryClient(credentials: .anonymous) { client in
                    let manifest = try await client.manifest(try .parse(text))
                    #expect(manifest.digest == (try await Skopeo.digestWithCredentials(text)))
                }
            }
        }
    }
}

extension Skopeo {
    /// The digest skopeo reads at `reference`, logged in as the auth tests' user.
    static func digestWithCredentials(_ reference: String) async throws -> String {
        sha256Digest(Data(try await runTool("skopeo", [
            "inspect", "--tls-verify=false", "--creds", "\(RegistryAuthTests.user):\(RegistryAuthTests.password)", "--raw", "docker://\(reference)",
        ]).utf8))
    }
}
