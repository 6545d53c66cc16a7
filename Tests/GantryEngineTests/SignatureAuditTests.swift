import Crypto
import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Signatures and referrers in the audit: made with the test's own key the way cosign and
/// ORAS make them, on a real registry (distribution 2.8, which has no referrers API, so
/// the `sha256-<hex>` tag schema is what answers).
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct SignatureAuditTests {
    struct Subjects {
        var index: String
        var amd64: String
        var arm64: String
        var single: String
    }

    /// Runs `body` with a registry holding the subjects (see `push`), and a client.
    func withSubjects(_ body: (RegistryServer, RegistryClient, ImageReference, Subjects) async throws -> Void) async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                try await withRegistryClient { client in
                    try await body(registry, client, ImageReference(registry: registry.host, repository: "acme/app"), try push(fixtures, to: registry))
                }
            }
        }
    }

    /// An index of two platforms tagged `1.0`, and a single manifest tagged `single`.
    func push(_ fixtures: ImageFixtures, to registry: RegistryServer) async throws -> Subjects {
        let tag = "\(registry.host)/acme/app:1.0"
        try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [tag])
        try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:single")
        let entries = try await skopeoIndexEntries(tag)
        let digest = { (platform: String) in entries.first { platformText($0) == platform }?["digest"] as? String ?? "" }
        return Subjects(
            index: try await Skopeo.digest(tag), amd64: digest("linux/amd64"), arm64: digest("linux/arm64"),
            single: try await Skopeo.digest("\(registry.host)/acme/app:single"))
    }

    @Test func signaturesAreVerifiedWithTheKeyAndTheirClaimsChecked() async throws {
        try await withSubjects { registry, client, repository, subjects in
            let ours = SupplyChainFixtures(client: client)
            let theirs = SupplyChainFixtures(client: client)
            try await ours.sign(subjects.index, in: repository)
            try await theirs.sign(subjects.amd64, in: repository)
            try await ours.sign(subjects.arm64, in: repository, claiming: subjects.index)
            let key = try SignatureKey(pem: ours.publicKeyPEM, source: "cosign.pub")
            let references = [subjects.index, subjects.amd64, subjects.arm64, subjects.single].map { repository.with(digest: $0) }

            let required = AuditExpectation(requiresSignature: true)
            let report = await Auditor(client: client, signatureKey: key).audit(references, expecting: required)
            let (index, amd64, arm64, single) = (report.results[0], report.results[1], report.results[2], report.results[3])
            // The index lists its own signature (ours, verified) and its platforms' (theirs; a moved one);
            // only the tag's own digest must be signed, so the platforms' are findings only when audited themselves.
            let listed = { (result: AuditResult) in result.signatures.map { "\($0.platform ?? "own") \($0.verdict.rawValue)" }.sorted() }
            #expect(listed(index) == ["linux/amd64 bad", "linux/arm64 bad", "own verified"])
            #expect(index.signatures.first?.identity == repository.name)
            #expect(index.findings.isEmpty, "\(index.findings)")
            #expect(amd64.findings.map(\.kind) == [.badSignature])
            #expect(amd64.findings.first?.message.contains("does not verify with cosign.pub") == true)
            #expect(arm64.findings.map(\.kind) == [.badSignature])
            #expect(arm64.findings.first?.message.contains("signs \(subjects.index), not \(subjects.arm64)") == true)
            #expect(single.findings.map(\.kind) == [.unsigned])

            // Without a key the claims are still checked; signatures are not required, so nothing is a finding.
            let unkeyed = await Auditor(client: client).audit(references)
            #expect(unkeyed.results.map(listed) == [["linux/amd64 unverified", "linux/arm64 bad", "own unverified"], ["own unverified"], ["own bad"], []])
            #expect(unkeyed.findings.isEmpty)

            // A second signature by another key does not spoil ours, but is reported when signatures are required.
            try await theirs.sign(subjects.index, in: repository)
            let twice = await Auditor(client: client, signatureKey: key).audit([references[0]], expecting: required)
            #expect(twice.results[0].signatures.filter { $0.platform == nil }.map(\.verdict) == [.verified, .bad])
            #expect(twice.findings.map(\.kind) == [.badSignature])
        }
    }

    @Test("a key given verifies, as cosign verify --key: a signature it does not verify is bad-signature, none is unsigned")
    func aKeyRequiresASignatureThatVerifiesWithIt() async throws {
        try await withSubjects { registry, client, repository, subjects in
            let ours = SupplyChainFixtures(client: client)
            try await ours.sign(subjects.index, in: repository)
            let other = try SignatureKey(pem: SupplyChainFixtures(client: client).publicKeyPEM, source: "other.pub")
            let references = [repository.with(tag: "1.0"), repository.with(tag: "single")]

            let report = await Auditor(client: client, signatureKey: other).audit(references)
            #expect(report.results.map { $0.findings.map(\.kind) } == [[.badSignature], [.unsigned]])
            #expect(report.results[0].findings.first?.message.contains("does not verify with other.pub") == true)

            let right = try SignatureKey(pem: ours.publicKeyPEM, source: "cosign.pub")
            let verified = await Auditor(client: client, signatureKey: right).audit([references[0]])
            #expect(verified.findings.isEmpty, "\(verified.findings)")
        }
    }

    @Test func referrersAreListedByArtifactTypeForTheIndexAndEachPlatform() async throws {
        try await withSubjects { registry, client, repository, subjects in
            let supplyChain = SupplyChainFixtures(client: client)
            let sbom = try await supplyChain.attach(artifactType: "application/spdx+json", content: Data(#"{"packages":[]}"#.utf8), to: subjects.amd64, in: repository)
            let bundle = try await supplyChain.attach(
                artifactType: "application/vnd.dev.sigstore.bundle.v0.3+json", content: Data("{}".utf8), to: subjects.index, in: repository)
            let vex = try await supplyChain.attach(artifactType: "application/vnd.openvex+json", content: Data("{}".utf8), to: subjects.index, in: repository)

            let result = try #require(await Auditor(client: client).audit([repository.with(tag: "1.0")]).results.first)
            #expect(result.findings.isEmpty, "\(result.findings)")
            let listed = Set(result.referrers.map { "\($0.platform ?? "index") \($0.artifactType) \($0.digest) \($0.source.rawValue)" })
            #expect(listed == [
                "index application/vnd.dev.sigstore.bundle.v0.3+json \(bundle) tag-schema",
                "index application/vnd.openvex+json \(vex) tag-schema",
                "linux/amd64 application/spdx+json \(sbom) tag-schema",
            ])
            // The fallback index skopeo reads lists exactly those of the index.
            let fallback = try await skopeoIndexEntries("\(registry.host)/acme/app:\(subjects.index.replacingOccurrences(of: ":", with: "-"))")
            #expect(Set(fallback.compactMap { $0["digest"] as? String }) == [bundle, vex])
        }
    }

    @Test func aKeyThatIsNotP256PEMIsRefusedWithItsPath() throws {
        try withTemporaryDirectorySync { dir in
            let garbled = try dir.write("cosign.pub", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
            let p384 = try dir.write("p384.pub", P384.Signing.PrivateKey().publicKey.pemRepresentation)
            for path in [garbled, p384] {
                let error = #expect(throws: SignatureKeyError.self) { try SignatureKey.load(path: path) }
                #expect(error?.description == "--key \(path): not an ECDSA P-256 public key in PEM (-----BEGIN PUBLIC KEY-----), as cosign.pub is")
            }
            let missing = #expect(throws: SignatureKeyError.self) { try SignatureKey.load(path: dir.path + "/missing.pub") }
            #expect(missing?.description == "--key \(dir.path)/missing.pub: does not exist")
        }
    }
}
