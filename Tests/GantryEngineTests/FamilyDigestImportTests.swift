import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// A family's digest files as `gantry publish --from-digests` reads them: each must name an
/// image of the family, and every image must have some; a mistake names the file. Every
/// case is refused before any registry is asked (the client has no registry to ask).
@Suite struct FamilyDigestImportTests {
    static let family = ImageFamily(try! ReleaseConfigLoader.parse(yaml: """
        image: acme/app
        registries: [127.0.0.1:1]
        platforms: [linux/amd64]
        build: {context: .}
        tags: ["{{version}}"]
        images:
          - variant: default
          - image: acme/worker

        """, source: "gantry.yaml"))
    static let hex = String(repeating: "ab", count: 32)

    func refusal(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await withTemporaryDirectory { dir in
            for (name, text) in files { _ = try dir.write(name, text) }
            return try await withRegistryClient { client in
                do {
                    _ = try await FamilyDigestImport(client: client).sources(paths: [dir.url], family: Self.family)
                    Issue.record("accepted \(files)", sourceLocation: sourceLocation)
                    return ""
                } catch {
                    return "\(error)"
                }
            }
        }
    }

    @Test func anEmptyDigestFileIsASingleImagesAndIsNamed() async throws {
        let message = try await refusal(["digests-linux-amd64/\(Self.hex)": ""])
        #expect(message.contains("digests-linux-amd64/\(Self.hex): names no image"), "\(message)")
    }

    @Test func anImageNotOfTheFamilyIsNamedWithTheFamilysImages() async throws {
        let message = try await refusal(["a/\(Self.hex)": "acme/wroker\n"])
        #expect(message.contains("names \"acme/wroker\", not an image of this family"), "\(message)")
        #expect(message.contains("acme/worker"), "\(message)")
    }

    @Test func anImageWithoutDigestFilesIsNamed() async throws {
        let message = try await refusal(["a/\(Self.hex)": "acme/app\n"])
        #expect(message.contains("no digest file names acme/worker"), "\(message)")
    }

    @Test func aFileTooLargeToBeANameIsRefused() async throws {
        let message = try await refusal(["a/\(Self.hex)": String(repeating: "x", count: 4096)])
        #expect(message.contains("is not a family's digest file"), "\(message)")
    }
}
