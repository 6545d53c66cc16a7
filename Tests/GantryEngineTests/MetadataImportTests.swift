import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// `--from-metadata` and `--digest`: real-shaped buildx metadata files (templates in
/// Tests/Fixtures/metadata filled with digests really pushed) and explicit pairs.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct MetadataImportTests {
    static let templates = GantryBinary.repositoryRoot().appendingPathComponent("Tests/Fixtures/metadata")

    /// Writes `template` with `values` substituted for its `{{NAME}}` placeholders.
    func fill(_ template: String, _ values: [String: String], into folder: TemporaryDirectory) throws -> URL {
        var text = try String(contentsOf: Self.templates.appendingPathComponent(template + ".template"), encoding: .utf8)
        for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: value) }
        #expect(!text.contains("{{"), "unfilled placeholder in \(template)")
        return URL(fileURLWithPath: try folder.write(template, text))
    }

    @Test func buildAndBakeFilesGiveThePlatformsFromDescriptorsOrTheRegistryAndPublish() async throws {
        try await withPublishScenario { scenario in
            let sources = try await scenario.pushPlatforms(["linux/amd64", "linux/arm64", "linux/arm/v7"])
            let byPlatform = Dictionary(uniqueKeysWithValues: sources.map { ($0.platform.description, $0) })
            var manifests: [String: FetchedManifest] = [:]
            for (platform, source) in byPlatform {
                manifests[platform] = try await scenario.client.manifest(scenario.repositories[0].with(digest: source.digest))
            }
            // The amd64 job pushed what buildx pushes with attestations: an index of the manifest and its attestation.
            let amd64 = try #require(manifests["linux/amd64"])
            let attestation = try await putAttestation(scenario.client, scenario.repositories[0], subject: amd64.descriptor)
            var image = amd64.descriptor
            image.platform = DescriptorPlatform(os: "linux", architecture: "amd64")
            let attested = try await putIndex(scenario.client, scenario.repositories[0], tag: "ci-amd64", entries: [image, attestation])
            let copied = scenario.references("ci-amd64")
            try await runTool("skopeo", [
                "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://\(copied[0])", "docker://\(copied[1])",
            ])
            #expect(try await Skopeo.digest(copied[1]) == attested)
            let folder = try TemporaryDirectory(prefix: "gantry-metadata")
            defer { folder.remove() }
            let config = { (platform: String) in manifests[platform]?.image?.config.digest ?? "" }
            let build = try fill("build.json", ["DIGEST": attested, "CONFIG_DIGEST": config("linux/amd64")], into: folder)
            let bake = try fill("bake.json", [
                "ARM64_DIGEST": byPlatform["linux/arm64"]!.digest, "ARM64_CONFIG_DIGEST": config("linux/arm64"),
                "ARM64_SIZE": "\(manifests["linux/arm64"]!.bytes.count)",
                "ARMV7_DIGEST": byPlatform["linux/arm/v7"]!.digest, "ARMV7_CONFIG_DIGEST": config("linux/arm/v7"),
                "ARMV7_SIZE": "\(manifests["linux/arm/v7"]!.bytes.count)",
            ], into: folder)

            let imported = try await MetadataImport(client: scenario.client).sources(files: [build, bake], repository: scenario.repositories[0])
            #expect(imported.map(\.platform.description) == ["linux/amd64", "linux/arm64", "linux/arm/v7"])
            #expect(imported.map(\.digest) == [attested, byPlatform["linux/arm64"]!.digest, byPlatform["linux/arm/v7"]!.digest])

            let journal = try await scenario.release("4.0.0", tags: ["4.0.0", "latest"], sources: imported)
            #expect(journal.phase == .verified)
            for reference in scenario.references("latest") {
                #expect(try await skopeoPlatforms(reference) == ["linux/amd64", "linux/arm/v7", "linux/arm64"])
                // The attestation travelled with its image.
                #expect(try await skopeoIndexEntries(reference).count == 4)
            }
        }
    }

    @Test func brokenMetadataFilesAreNamedWithTheirField() throws {
        try withTemporaryDirectorySync(prefix: "gantry-metadata") { folder in
            func error(_ name: String, _ text: String) -> String {
                let url = URL(fileURLWithPath: (try? folder.write(name, text)) ?? "")
                do { _ = try MetadataImport.entries(url); return "no error" } catch { return "\(error)" }
            }
            let notJSON = error("a.json", "{")
            #expect(notJSON.contains("a.json") && notJSON.contains("not a JSON object"))
            let noDigest = error("b.json", #"{"buildx.build.warnings": [], "web": {"buildx.build.ref": "x"}}"#)
            #expect(noDigest.contains("b.json") && noDigest.contains("bake target \"web\"") && noDigest.contains("containerimage.digest"))
            let badDigest = error("c.json", #"{"containerimage.digest": "sha256:nothex"}"#)
            #expect(badDigest.contains("c.json") && badDigest.contains("not a sha256 digest"))
            let badPlatform = error("d.json", #"{"containerimage.descriptor": {"digest": "sha256:\#(String(repeating: "a", count: 64))", "platform": {"os": "linux"}}}"#)
            #expect(badPlatform.contains("d.json") && badPlatform.contains("containerimage.descriptor.platform"))
            let nothing = error("e.json", #"{"buildx.build.warnings": {}}"#)
            #expect(nothing.contains("e.json") && nothing.contains("no bake target"))
        }
    }

    @Test func digestPairsParseAndBadOnesNameTheArgument() throws {
        let digest = "sha256:" + String(repeating: "0123456789abcdef", count: 4)
        let source = try PlatformSource.parse("linux/arm/v7=\(digest)")
        #expect(source == PlatformSource(platform: Platform(os: "linux", architecture: "arm", variant: "v7"), digest: digest))
        for bad in ["linux/arm64", "linux/arm64=sha256:abc", "=\(digest)", "linux/arm64=\(digest.uppercased())"] {
            let error = #expect(throws: DigestArgumentError.self) { try PlatformSource.parse(bad) }
            #expect(error?.description.hasPrefix("--digest \(bad):") == true)
        }
    }
}
