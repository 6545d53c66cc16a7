import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GantryEngine
import GantryTestSupport
import Testing

/// `gantry audit` of a release built with attestations (the stub buildx writes BuildKit's
/// provenance and an SPDX SBOM) and signed with the test's own key, as the real binary.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct SignedAuditCommandTests {
    static let builderID = "https://github.com/acme/demo/actions/runs/42"
    static let source = "https://github.com/acme/demo"

    @Test func theAuditListsAndVerifiesSignaturesAndSummarisesAttestations() async throws {
        try await withRegistries(1) { registries in
            let host = registries[0].host
            let project = try DemoProject(registries: [host], platforms: ["linux/amd64", "linux/arm64"], extra: [
                "builder": "buildx", "publisher": "imagetools", "attestations": "keep", "require": "{signed: true}",
                "build": "{context: demo, dockerfile: demo/Dockerfile, labels: {org.opencontainers.image.source: \"\(Self.source)\"}}",
            ])
            defer { project.remove() }
            let environment = ["PATH": StubDocker.searchPath, "GANTRY_STUB_BUILDER_ID": Self.builderID, "DOCKER_CONFIG": project.directory.path]
            let released = try await project.gantry(["release", "1.0.0", "--no-tui", "--yes", "--revision", "9f8e7d6c5b4a"], environment: environment)
            #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
            let audit = { (extra: [String]) in try await project.gantry(["audit", "--release-version", "1.0.0", "--json"] + extra, environment: environment) }

            // require: {signed: true} and nothing signed yet: every tag is unsigned.
            let unsigned = try await audit([])
            #expect(unsigned.status == 1, "\(unsigned.stderr)")
            #expect(try Self.findingKinds(unsigned.stdout) == Array(repeating: "unsigned", count: 4))

            // Signed with our key: verified, no findings.
            let index = try await Skopeo.digest("\(host)/gantry/demo:1.0.0")
            let repository = ImageReference(registry: host, repository: "gantry/demo")
            let keyFile = project.directory.url.appendingPathComponent("cosign.pub").path
            try await RegistryClient.with(credentials: .anonymous) { client in
                let ours = SupplyChainFixtures(client: client)
                try await ours.sign(index, in: repository)
                try ours.publicKeyPEM.write(toFile: keyFile, atomically: true, encoding: .utf8)
            }
            let signed = try await audit(["--key", keyFile])
            #expect(signed.status == 0, "\(signed.stdout)\(signed.stderr)")
            let results = try #require((try JSONSerialization.jsonObject(with: Data(signed.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
            for result in results {
                let signatures = try #require(result["signatures"] as? [[String: Any]])
                #expect(signatures.map { $0["verdict"] as? String } == ["verified"])
                #expect(signatures.first?["identity"] as? String == repository.name)
            }

            // Provenance and SBOM of each platform, as the attestation manifests hold them.
            let attestations = try #require(results.first?["attestations"] as? [[String: Any]])
            #expect(Set(attestations.compactMap { $0["platform"] as? String }) == ["linux/amd64", "linux/arm64"])
            for attestation in attestations {
                let summaries = try #require(attestation["summaries"] as? [[String: Any]])
                let provenance = try #require(summaries.first { $0["predicateType"] as? String == "https://slsa.dev/provenance/v0.2" })
                #expect(provenance["builderID"] as? String == Self.builderID)
                #expect(provenance["sourceRepository"] as? String == Self.source)
                #expect(provenance["revision"] as? String == "9f8e7d6c5b4a")
                let sbom = try #require(summaries.first { $0["predicateType"] as? String == "https://spdx.dev/Document" })
                #expect(sbom["packages"] as? Int == (try await Self.spdxPackageCount(host: host, attestation: attestation["digest"] as? String ?? "")))
            }
            let text = try await project.gantry(["audit", "\(host)/gantry/demo:1.0.0", "--key", keyFile], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("  cosign signatures\n    index \(Digest.short(index)): verified, for \(repository.name)"), "\(text.stdout)")
            #expect(text.stdout.contains("provenance: builder \(Self.builderID), source \(Self.source)@9f8e7d6c5b4a"))
            #expect(text.stdout.contains("sbom: "))

            // A signature by another key beside ours is reported.
            try await RegistryClient.with(credentials: .anonymous) { client in
                try await SupplyChainFixtures(client: client).sign(index, in: repository)
            }
            let forged = try await audit(["--key", keyFile])
            #expect(forged.status == 1)
            #expect(try Self.findingKinds(forged.stdout) == Array(repeating: "bad-signature", count: 4))
        }
    }

    static func findingKinds(_ stdout: String) throws -> [String] {
        let results = try #require((try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        return results.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
    }

    /// Packages in the SPDX statement of an attestation manifest, read over plain HTTP (not through Gantry).
    static func spdxPackageCount(host: String, attestation: String) async throws -> Int {
        let manifest = try await #require(try JSONSerialization.jsonObject(with: Skopeo.rawManifest("\(host)/gantry/demo@\(attestation)")) as? [String: Any])
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        let sbom = try #require(layers.first { ($0["annotations"] as? [String: String])?["in-toto.io/predicate-type"] == "https://spdx.dev/Document" })
        let url = URL(string: "http://\(host)/v2/gantry/demo/blobs/\(sbom["digest"] as? String ?? "")")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let statement = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return ((statement["predicate"] as? [String: Any])?["packages"] as? [Any])?.count ?? -1
    }
}
