import GantryEngine
import Testing

/// How `gantry audit` and the console read a typed reference (`AuditScope.reference`).
@Suite(.timeLimit(.minutes(1))) struct AuditReferenceTests {
    static func config() throws -> ReleaseConfig {
        try ReleaseConfigLoader.parse(
            yaml: "image: acme/app\nregistries: [127.0.0.1:5000, 127.0.0.1:5001]\nplatforms: [linux/amd64]\nbuild: {context: .}\n", source: "gantry.yaml")
    }

    @Test(arguments: [
        ("latest", "127.0.0.1:5000/acme/app:latest"),
        ("1.2.0", "127.0.0.1:5000/acme/app:1.2.0"),
        ("acme/app:latest", "127.0.0.1:5000/acme/app:latest"),
        ("127.0.0.1:5001/acme/app:1", "127.0.0.1:5001/acme/app:1"),
        ("nginx:1.25", "docker.io/library/nginx:1.25"),
        ("ghcr.io/acme/app:latest", "ghcr.io/acme/app:latest"),
    ])
    func withAConfig(_ text: String, _ expected: String) throws {
        #expect(try AuditScope.reference(text, config: try Self.config()).description == expected)
    }

    @Test("without a config, a bare name is Docker Hub's, as docker reads it")
    func withoutAConfig() throws {
        #expect(try AuditScope.reference("latest", config: nil).description == "docker.io/library/latest")
        #expect(try AuditScope.reference("acme/app:latest", config: nil).description == "docker.io/acme/app:latest")
    }
}
