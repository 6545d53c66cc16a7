import GantryEngine
import Testing

@Suite(.timeLimit(.minutes(1))) struct ReferenceTests {
    @Test(arguments: [
        ("ubuntu", "docker.io/library/ubuntu"),
        ("ubuntu:24.04", "docker.io/library/ubuntu:24.04"),
        ("acme/app", "docker.io/acme/app"),
        ("docker.io/acme/app:3.14", "docker.io/acme/app:3.14"),
        ("index.docker.io/library/alpine", "docker.io/library/alpine"),
        ("ghcr.io/acme/app:latest", "ghcr.io/acme/app:latest"),
        ("localhost/app", "localhost/app"),
        ("localhost:5000/team/app:1", "localhost:5000/team/app:1"),
        ("127.0.0.1:5000/app", "127.0.0.1:5000/app"),
        ("registry.example.com/a/b/c", "registry.example.com/a/b/c"),
        ("my-org/my_app.x", "docker.io/my-org/my_app.x"),
    ])
    func normalises(_ input: String, _ expected: String) throws {
        #expect(try ImageReference.parse(input).description == expected)
    }

    @Test func parsesDigestAndTag() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let ref = try ImageReference.parse("ghcr.io/acme/app:3.14@\(digest)")
        #expect(ref.registry == "ghcr.io")
        #expect(ref.repository == "acme/app")
        #expect(ref.tag == "3.14")
        #expect(ref.digest == digest)
    }

    @Test(arguments: ["", "Acme/App", "acme//app", "acme/app:", "acme/app:-bad", "acme/app@sha256:123", "acme/-app", "a/b:" + String(repeating: "x", count: 129)])
    func rejects(_ input: String) {
        #expect(throws: ReferenceError.self) { try ImageReference.parse(input) }
    }

    @Test func tagGrammar() {
        #expect(TagName.isValid("3.14.1"))
        #expect(TagName.isValid("_x"))
        #expect(TagName.isValid(String(repeating: "a", count: 128)))
        #expect(!TagName.isValid(String(repeating: "a", count: 129)))
        #expect(!TagName.isValid(".x"))
        #expect(!TagName.isValid("a+b"))
    }

    @Test func loopbackHosts() {
        #expect(RegistryHost.isLoopback("127.0.0.1:5000"))
        #expect(RegistryHost.isLoopback("localhost:5000"))
        #expect(RegistryHost.isLoopback("[::1]:5000"))
        #expect(!RegistryHost.isLoopback("10.0.0.1:5000"))
        #expect(RegistryHost.apiHost("docker.io") == "registry-1.docker.io")
    }
}

@Suite(.timeLimit(.minutes(1))) struct PlatformTests {
    @Test(arguments: [
        ("linux/amd64", "linux/amd64"), ("linux/arm64/v8", "linux/arm64"), ("linux/arm", "linux/arm/v7"),
        ("linux/arm/v6", "linux/arm/v6"), ("linux/x86_64", "linux/amd64"), ("windows/amd64", "windows/amd64"),
    ])
    func normalises(_ input: String, _ expected: String) throws {
        #expect(try Platform.parse(input).description == expected)
    }

    @Test func explainsWhatIsAllowed() {
        #expect(throws: PlatformError.self) { try Platform.parse("linux/amd46") }
        do {
            _ = try Platform.parse("linux/amd46")
        } catch {
            #expect(error.reason.contains("did you mean \"amd64\""))
        }
        #expect(throws: PlatformError.self) { try Platform.parse("linux") }
        #expect(throws: PlatformError.self) { try Platform.parse("linux/amd64/v9") }
        #expect(throws: PlatformError.self) { try Platform.parse("linx/amd64") }
    }
}
