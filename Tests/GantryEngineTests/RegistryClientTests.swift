import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The registry client against a real `docker-registry`, with skopeo as the oracle.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RegistryClientTests {
    @Test func resolvesAndFetchesAMultiPlatformTagExactlyAsSkopeoSeesIt() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/acme/app:1.0.0"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"], labels: [AnnotationKey.version: "1.0.0"], to: [text])
                let oracleBytes = try await Skopeo.rawManifest(text)
                try await withRegistryClient { client in
                    let reference = try ImageReference.parse(text)
                    let descriptor = try #require(try await client.resolve(reference))
                    #expect(descriptor.digest == sha256Digest(oracleBytes))
                    #expect(MediaType.isIndex(descriptor.mediaType))

                    let fetched = try await client.manifest(reference)
                    #expect(fetched.bytes == oracleBytes)
                    #expect(fetched.digest == descriptor.digest)
                    let index = try #require(fetched.index)
                    #expect(index.manifests.map { $0.platform?.description } == (try await skopeoIndexEntries(text)).map(platformText))

                    let arm = try #require(index.manifests.first { $0.platform?.architecture == "arm" })
                    let image = try #require(try await client.manifest(reference.with(digest: arm.digest)).image)
                    #expect(try await client.blobExists(reference, digest: image.config.digest))
                    let config = try await client.imageConfig(reference, manifest: image)
                    #expect(config.platform?.description == "linux/arm/v7")
                    #expect(config.labels[AnnotationKey.version] == "1.0.0")
                }
            }
        }
    }

    @Test func aManifestFetchedByDigestIsNotFetchedAgain() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/acme/app:latest"
                try await fixtures.pushImage(platform: "linux/amd64", to: text)
                try await withRegistryClient { client in
                    let reference = try ImageReference.parse(text)
                    let descriptor = try #require(try await client.resolve(reference))
                    let byDigest = reference.with(digest: descriptor.digest)
                    async let first = client.manifest(byDigest)
                    async let second = client.manifest(byDigest)
                    let (a, b) = try await (first, second)
                    let third = try await client.manifest(byDigest)
                    #expect(a.bytes == b.bytes && b.bytes == third.bytes)
                    #expect(a.digest == (try await Skopeo.digest(text)))
                    #expect(await client.statistics["GET manifest"] == 1)
                    #expect(await client.statistics["HEAD manifest"] == 1)
                }
            }
        }
    }

    @Test func aMissingTagResolvesToNilAndItsManifestIsManifestUnknown() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:1")
                try await withRegistryClient { client in
                    let missing = try ImageReference.parse("\(registry.host)/acme/app:nope")
                    #expect(try await client.resolve(missing) == nil)
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(missing) }
                    #expect(error?.kind == .notFound)
                    #expect(error?.codes == ["MANIFEST_UNKNOWN"])
                    #expect(error?.description.contains("MANIFEST_UNKNOWN") == true)
                }
            }
        }
    }

    @Test("a repository nothing was pushed to has no tags (NAME_UNKNOWN), while a registry error stays an error")
    func anUnknownRepositoryListsNoTags() async throws {
        try await withRegistry { registry in
            try await withRegistryClient { client in
                let neverPushed = try ImageReference.parse("\(registry.host)/acme/never-pushed")
                let tags = try await client.tags(neverPushed)
                #expect(tags == [])
                let closed = try ImageReference.parse("127.0.0.1:1/acme/app")
                await #expect(throws: (any Error).self) { try await client.tags(closed) }
            }
        }
    }

    @Test func tagListingFollowsLinkPaginationAcrossPages() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:base")
                // distribution 2.8 lists every tag at once; the proxy pages the real list as distribution 3 does.
                let pager = try PaginatingProxy(upstreamPort: registry.port)
                defer { pager.stop() }
                let repository = try ImageReference.parseRepository("\(pager.host)/acme/app")
                try await withRegistryClient(.init(tagPageSize: 2)) { client in
                    let manifest = try await client.manifest(repository.with(tag: "base"))
                    for tag in (1...6).map({ "v\($0)" }) {
                        try await client.putManifest(repository, reference: tag, mediaType: manifest.mediaType, bytes: manifest.bytes)
                    }
                    let tags = try await client.tags(repository)
                    let oracle = try JSONSerialization.jsonObject(
                        with: Data(try await runTool("skopeo", ["list-tags", "--tls-verify=false", "docker://\(registry.host)/acme/app"]).utf8)) as? [String: Any]
                    #expect(tags.count == 7)
                    #expect(Set(tags) == Set(oracle?["Tags"] as? [String] ?? []))
                    // 7 tags at 2 a page: 4 pages, each one request.
                    #expect(pager.pagesServed == 4)
                    #expect(await client.statistics["GET tags"] == 4)
                }
            }
        }
    }

    @Test func uploadsBlobsMountsThemAcrossRepositoriesAndPutsManifests() async throws {
        try await withRegistry { registry in
            try await withRegistryClient { client in
                let source = try ImageReference.parseRepository("\(registry.host)/acme/source")
                let target = try ImageReference.parseRepository("\(registry.host)/acme/target")
                let layer = Data("layer \(UUID())".utf8)
                let config = Data(#"{"architecture":"amd64","os":"linux","config":{"Labels":{"org.opencontainers.image.revision":"abc"}}}"#.utf8)
                try await client.uploadBlob(source, digest: sha256Digest(layer), data: layer)
                try await client.uploadBlob(source, digest: sha256Digest(config), data: config)
                #expect(try await client.blob(source, digest: sha256Digest(layer)) == layer)
                #expect(!(try await client.blobExists(target, digest: sha256Digest(layer))))
                #expect(try await client.mountBlob(sha256Digest(layer), from: source, to: target))
                #expect(try await client.mountBlob(sha256Digest(config), from: source, to: target))
                #expect(try await client.blobExists(target, digest: sha256Digest(layer)))

                let manifest = ImageManifest(
                    mediaType: MediaType.ociManifest,
                    config: Descriptor(mediaType: MediaType.ociConfig, digest: sha256Digest(config), size: Int64(config.count)),
                    layers: [Descriptor(mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256Digest(layer), size: Int64(layer.count))])
                let bytes = try JSONEncoder().encode(manifest)
                let digest = try await client.putManifest(target, reference: "1.0", mediaType: MediaType.ociManifest, bytes: bytes)
                #expect(digest == sha256Digest(bytes))
                #expect(try await Skopeo.digest("\(target.name):1.0") == digest)
                // A blob the source never had is not mounted: the caller must copy it.
                #expect(!(try await client.mountBlob(sha256Digest(Data("absent".utf8)), from: source, to: target)))
            }
        }
    }
}
