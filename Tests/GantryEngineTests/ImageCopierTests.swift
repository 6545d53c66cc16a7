import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Copying by digest between real registries, skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct ImageCopierTests {
    let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]

    @Test("an index with attestations is copied to another registry under the same digest; a second copy only checks")
    func copiesAnAttestedIndexThenFindsItPresent() async throws {
        try await withRegistries(2) { registries in
            try await withImageFixtures { fixtures in
                try await withRegistryClient { client in
                    let source = try ImageReference.parse("\(registries[0].host)/acme/app:1.0.0")
                    let digest = try await pushAttestedIndex(client, fixtures: fixtures, platforms: platforms, layerBytes: 300_000, to: source)
                    let target = try ImageReference.parse("\(registries[1].host)/mirror/app")

                    let first = try await ImageCopier(client: client).copy(source, to: target)
                    #expect(first.digest == digest && first.target == "\(registries[1].host)/mirror/app@\(digest)")
                    #expect(first.manifestsCopied == 7 && first.manifestsPresent == 0, "an index, 3 images, 3 attestations: \(first)")
                    #expect(first.blobsCopied > 0 && first.blobsMounted == 0)
                    #expect(first.bytesCopied >= 3 * 300_000)
                    // The oracle: the same digest, and every manifest and blob readable and matching its digest.
                    let copied = "\(registries[1].host)/mirror/app@\(digest)"
                    #expect(try await Skopeo.digest(copied) == digest)
                    try await expectEveryBlobVerifies(copied)

                    // A new client: nothing answered from the first one's cache.
                    let (second, requests) = try await withRegistryClient { fresh in
                        (try await ImageCopier(client: fresh).copy(source, to: target), await fresh.statistics.total)
                    }
                    #expect(second.wasPresent && second.manifestsPresent == 7)
                    // Plus the two lookups that carry attachments: the referrers (GET) and the signature tag (HEAD).
                    #expect(requests <= 3 * platforms.count + 2, "a copy of what is there: \(requests) requests for \(platforms.count) platforms")
                }
            }
        }
    }

    @Test("within one registry, blobs are mounted from the source repository, not transferred; a tag is written last")
    func mountsWithinOneRegistry() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/staging/app:rc"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [text])
                let report = try await withRegistryClient { client in
                    try await ImageCopier(client: client).copy(try .parse(text), to: try .parse("\(registry.host)/acme/app:1.0.0"))
                }
                #expect(report.blobsMounted == (try await skopeoBlobs(text)).count, "every blob mounted: \(report)")
                #expect(report.blobsCopied == 0 && report.bytesCopied == 0)
                #expect(report.tag == "1.0.0")
                #expect(try await Skopeo.digest("\(registry.host)/acme/app:1.0.0") == (try await Skopeo.digest(text)))
                try await expectEveryBlobVerifies("\(registry.host)/acme/app:1.0.0")
            }
        }
    }

    @Test("a source that sends corrupt blob bytes ends the upload before it completes: nothing lands in the target")
    func corruptSourceBytesNeverLand() async throws {
        try await withRegistries(2) { registries in
            try await withImageFixtures { fixtures in
                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registries[0].host)/acme/app:1")
                let proxy = try FaultInjectingProxy(upstreamPort: registries[0].port, rules: [
                    .init(method: "GET", pathContains: "/blobs/sha256:", fault: .corruptBody, times: 100),
                ])
                defer { proxy.stop() }
                try await withRegistryClient { client in
                    let target = try ImageReference.parse("\(registries[1].host)/acme/app")
                    let error = await #expect(throws: RegistryError.self) {
                        try await ImageCopier(client: client).copy(try .parse("\(proxy.host)/acme/app:1"), to: target)
                    }
                    #expect(error?.kind == .digestMismatch, "\(String(describing: error))")
                    let manifest = try #require(try await client.manifest(try .parse("\(registries[0].host)/acme/app:1")).image)
                    for blob in [manifest.config] + manifest.layers {
                        #expect(try await !client.blobExists(target, digest: blob.digest), "\(blob.digest) must not be in the target")
                    }
                    #expect(try await client.resolve(target.with(digest: try await Skopeo.digest("\(registries[0].host)/acme/app:1")), cached: false) == nil)
                }
            }
        }
    }
}

/// The distinct config and layer digests of every image `reference` holds, read with skopeo.
func skopeoBlobs(_ reference: String) async throws -> Set<String> {
    let name = String(reference.split(separator: "@")[0])
    let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
    let repository = name[lastSlash...].contains(":") ? String(name[..<name.lastIndex(of: ":")!]) : name
    var blobs = Set<String>()
    for entry in try await skopeoIndexEntries(reference) {
        let raw = try await JSONSerialization.jsonObject(with: Skopeo.rawManifest("\(repository)@\(entry["digest"] as! String)")) as? [String: Any] ?? [:]
        let descriptors = [raw["config"] as? [String: Any]].compactMap { $0 } + (raw["layers"] as? [[String: Any]] ?? [])
        blobs.formUnion(descriptors.compactMap { $0["digest"] as? String })
    }
    return blobs
}

/// skopeo copies `reference` (every platform) into an OCI layout, checking every blob
/// against its digest; throws when one is missing or wrong.
func expectEveryBlobVerifies(_ reference: String) async throws {
    try await withTemporaryDirectory(prefix: "gantry-oci") { folder in
        _ = try await runTool("skopeo", ["copy", "--all", "--src-tls-verify=false", "docker://\(reference)", "oci:\(folder.path)/layout"])
    }
}
