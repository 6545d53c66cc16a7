import Foundation
import GantryTestSupport
import Testing

/// A registry whose certificate a private CA signed (distribution serving HTTPS on
/// 127.0.0.1, the CA made by the test): Gantry says what is wrong in its own words, and
/// trusts the CA from `--ca-bundle`, the registry's `ca:` and `SSL_CERT_FILE`.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct PrivateCATests {
    static let platforms = ["linux/amd64"]

    /// The demo project releasing to `registry` over HTTPS (`insecure: false` on loopback), with `ca` as its `ca:`.
    static func project(_ registry: RegistryServer, ca: String? = nil) throws -> DemoProject {
        let entry = "{host: \(registry.host), insecure: false" + (ca.map { ", ca: \($0)" } ?? "") + "}"
        return try DemoProject(registries: [entry], platforms: platforms, extra: ["builder": "buildx"])
    }

    /// `gantry release VERSION` of `project` with the stub builder, plain output.
    static func release(_ project: DemoProject, _ version: String, arguments: [String] = [], environment: [String: String] = [:]) async throws -> GantryBinary.Result {
        try await project.gantry(["release", version, "--no-tui", "--yes"] + arguments, environment: ["PATH": StubDocker.searchPath].merging(environment) { $1 })
    }

    static func expectVerified(_ result: GantryBinary.Result, _ version: String, in registry: RegistryServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
        let index = try await Skopeo.rawManifest("\(registry.host)/gantry/demo:\(version)")
        #expect(String(decoding: index, as: UTF8.self).contains("\"linux\""), sourceLocation: sourceLocation)
    }

    @Test("without the CA the release stops in plain words with the fix; with --ca-bundle, ca: or SSL_CERT_FILE it verifies")
    func privateCA() async throws {
        let ca = try await PrivateCA()
        defer { ca.remove() }
        try await withRegistries(1, tls: ca) { registries in
            let registry = registries[0]
            let project = try Self.project(registry)
            defer { project.remove() }

            let untrusted = try await Self.release(project, "1.0.0", environment: ["SSL_CERT_FILE": "", "SSL_CERT_DIR": ""])
            let output = untrusted.stdout + untrusted.stderr
            #expect(untrusted.status == 2, "a preflight failure")
            #expect(output.contains("the certificate of \(registry.host) is not trusted: pass --ca-bundle"), "\(output)")
            for libraryWord in ["BoringSSL", "CERTIFICATE_VERIFY_FAILED", "handshake.cc", "NIOSSL"] {
                #expect(!output.contains(libraryWord), "no TLS library internals: \(output)")
            }
            #expect(project.journalFiles().isEmpty, "refused before anything was built or journaled")

            try await Self.expectVerified(try await Self.release(project, "1.0.0", arguments: ["--ca-bundle", ca.certificate]), "1.0.0", in: registry)
            try await Self.expectVerified(try await Self.release(project, "1.0.1", environment: ["SSL_CERT_FILE": ca.certificate]), "1.0.1", in: registry)

            let reference = "\(registry.host)/gantry/demo:1.0.0"
            let unverifiedAudit = try await project.gantry(["audit", reference], environment: ["SSL_CERT_FILE": "", "SSL_CERT_DIR": ""])
            #expect(unverifiedAudit.status != 0)
            #expect((unverifiedAudit.stdout + unverifiedAudit.stderr).contains("the certificate of \(registry.host) is not trusted: pass --ca-bundle or set ca: in the registry's config"),
                    "\(unverifiedAudit.stdout)\(unverifiedAudit.stderr)")
            let audit = try await project.gantry(["audit", reference, "--ca-bundle", ca.certificate])
            #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")

            let configured = try Self.project(registry, ca: ca.certificate)
            defer { configured.remove() }
            try await Self.expectVerified(try await Self.release(configured, "1.0.2"), "1.0.2", in: registry)
        }
    }

    @Test("a registry's ca: is trusted for that registry alone: another registry its CA also signed is not trusted")
    func caIsScopedToItsRegistry() async throws {
        let ca = try await PrivateCA()
        defer { ca.remove() }
        try await withRegistries(2, tls: ca) { registries in
            let entries = ["{host: \(registries[0].host), ca: \(ca.certificate)}", "{host: \(registries[1].host), insecure: false}"]
            let project = try DemoProject(registries: entries, platforms: Self.platforms, extra: ["builder": "buildx"])
            defer { project.remove() }
            let result = try await Self.release(project, "1.0.0", environment: ["SSL_CERT_FILE": "", "SSL_CERT_DIR": ""])
            let output = result.stdout + result.stderr
            #expect(result.status == 2, "\(output)")
            #expect(output.contains("the certificate of \(registries[1].host) is not trusted"), "\(output)")
            #expect(!output.contains("the certificate of \(registries[0].host)"), "\(output)")
        }
    }

    @Test("gantry tag reaches a configured HTTPS registry with --ca-bundle, and its journal, killed midway, resumes with it")
    func tagAndResumeTrustTheCA() async throws {
        let ca = try await PrivateCA()
        defer { ca.remove() }
        try await withRegistries(1, tls: ca) { registries in
            let registry = registries[0]
            let project = try Self.project(registry)
            defer { project.remove() }
            try await Self.expectVerified(try await Self.release(project, "1.0.0", arguments: ["--ca-bundle", ca.certificate]), "1.0.0", in: registry)
            let digest = try await Skopeo.digest("\(registry.host)/gantry/demo:1.0.0")
            let source = "\(registry.host)/gantry/demo@\(digest)"

            // The config says the loopback registry speaks HTTPS: `gantry tag` goes there as configured.
            let tagged = try await project.gantry(["tag", source, "stable", "--yes", "--ca-bundle", ca.certificate])
            #expect(tagged.status == 0, "\(tagged.stdout)\(tagged.stderr)")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:stable") == digest)

            let killed = try await project.gantry(["tag", source, "edge", "--yes", "--ca-bundle", ca.certificate],
                                                  environment: ["GANTRY_CRASH_AFTER_JOURNAL_WRITES": "1"])
            #expect(killed.status != 0, "killed after its first journal write: \(killed.stdout)")
            let journals = try project.journalFiles().map { try JSONSerialization.jsonObject(with: Data(contentsOf: $0)) as? [String: Any] ?? [:] }
            let interrupted = try #require(journals.last { $0["kind"] as? String == "tag" && $0["phase"] as? String != "verified" }?["id"] as? String,
                                           "an unfinished tag journal: \(journals.map { $0["kind"] ?? "?" })")
            let resumed = try await project.gantry(["resume", interrupted, "--no-tui", "--yes", "--ca-bundle", ca.certificate])
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            #expect(try await Skopeo.digest("\(registry.host)/gantry/demo:edge") == digest)
        }
    }

    @Test("a ca: that is not a PEM file of certificates is a config error naming the field")
    func badCA() async throws {
        let ca = try await PrivateCA()
        defer { ca.remove() }
        try await withRegistries(1, tls: ca) { registries in
            let project = try Self.project(registries[0], ca: ca.serverKey)
            defer { project.remove() }
            let result = try await Self.release(project, "1.0.0")
            #expect(result.status != 0)
            #expect(result.stderr.contains("registries[0].ca"), "\(result.stderr)")
            #expect(result.stderr.contains("certificate"), "\(result.stderr)")
        }
    }
}
