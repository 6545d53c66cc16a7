import Foundation
@testable import GantryEngine
import GantryTestSupport
import Testing

/// Registries that break the bounds a client must keep: huge, endless and slow bodies, tag
/// lists that never end, indexes that lie about a platform. Each answer that breaks a bound
/// ends its request once, with an error naming the host, the request and the bound.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RegistryBoundsTests {
    /// Retries as many as a real client makes, so "asked once" shows none happened.
    let retrying = RegistryClientConfiguration(maxRetries: 4, retryBaseDelay: .milliseconds(20))

    func repository(_ host: String) throws -> ImageReference { try ImageReference.parse("\(host)/acme/app") }

    func gets(_ hostile: HostileRegistry, _ text: String) -> Int {
        hostile.seen.filter { $0.method == "GET" && $0.target.contains(text) }.count
    }

    @Test("a 200 MB manifest is refused unread, once, naming the host and the 4 MiB bound; the audit is incomplete")
    func hugeManifestIsRefused() async throws {
        try await withRegistry { registry in
            try await withHostileRegistry(in: registry, tricks: [.hugeManifest(pathContaining: "huge", bytes: 200_000_000)]) { hostile in
                try await withRegistryClient(retrying) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(try repository(hostile.host).with(tag: "huge")) }
                    #expect(error?.kind == .boundExceeded)
                    #expect(error?.bound == .bodySize(.manifest))
                    #expect(error.map { "\($0)" }?.contains("\(hostile.host) sent more than 4 MiB for GET /v2/acme/app/manifests/huge") == true, "\(String(describing: error))")
                    #expect(gets(hostile, "/manifests/huge") == 1)
                    #expect(hostile.bodyBytesSent < 64 << 20, "the client read \(hostile.bodyBytesSent) bytes")

                    let report = await Auditor(client: client).audit([try repository(hostile.host).with(tag: "huge")])
                    #expect(report.isIncomplete)
                    #expect(report.findings.map(\.kind) == [.unreachable])
                    #expect(report.findings.first?.message.contains("4 MiB") == true)
                }
            }
        }
    }

    @Test("an endless chunked manifest is read to 4 MiB once, not downloaded again and again")
    func endlessManifestIsReadOnce() async throws {
        try await withRegistry { registry in
            try await withHostileRegistry(in: registry, tricks: [.endlessManifest(pathContaining: "endless")]) { hostile in
                try await withRegistryClient(retrying) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(try repository(hostile.host).with(tag: "endless")) }
                    #expect(error?.kind == .boundExceeded)
                    #expect(error?.bound == .bodySize(.manifest))
                    #expect(gets(hostile, "/manifests/endless") == 1)
                    #expect(hostile.bodyBytesSent < 64 << 20, "the client was sent \(hostile.bodyBytesSent) bytes")
                }
            }
        }
    }

    @Test("a body sent at 1 byte/s ends at the configured request timeout, which covers the body, and is not asked again")
    func slowBodyEndsAtTheDeadline() async throws {
        try await withRegistry { registry in
            let pushed = try await withRegistryClient { client in
                try await SyntheticImage.push("linux/amd64", to: try repository(registry.host), tags: ["slow"], client: client).manifest
            }
            try await withHostileRegistry(in: registry, tricks: [.slowBody(pathContaining: "/manifests/slow")]) { hostile in
                var configuration = retrying
                configuration.requestTimeout = .seconds(2)
                try await withRegistryClient(configuration) { client in
                    let start = ContinuousClock.now
                    let error = await #expect(throws: RegistryError.self) { try await client.manifest(try repository(hostile.host).with(tag: "slow")) }
                    let took = ContinuousClock.now - start
                    #expect(error?.kind == .boundExceeded)
                    #expect(error?.bound == .deadline(.seconds(2)))
                    #expect(error.map { "\($0)" }?.contains("\(hostile.host) did not finish GET /v2/acme/app/manifests/slow within 2 s") == true, "\(String(describing: error))")
                    #expect(gets(hostile, "/manifests/slow") == 1)
                    // The body takes pushed.size seconds to send; the request gave up long before.
                    #expect(hostile.bodyBytesSent < Int(pushed.size))
                    #expect(took < Patience.scaled(.seconds(60)), "\(took)")
                }
            }
        }
    }

    @Test("a tag list whose Link leads back to the same page ends at the repeat")
    func linkLoopEndsAtTheRepeat() async throws {
        try await withRegistry { registry in
            _ = try await withRegistryClient { client in
                try await SyntheticImage.push("linux/amd64", to: try repository(registry.host), tags: ["1", "2"], client: client)
            }
            try await withHostileRegistry(in: registry, tricks: [.linkLoop]) { hostile in
                try await withRegistryClient(retrying) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.tags(try repository(hostile.host)) }
                    #expect(error?.kind == .boundExceeded)
                    #expect(error?.bound == .repeatedLink("http://\(hostile.host)/v2/acme/app/tags/list?last=1"))
                    #expect(error.map { "\($0)" }?.hasPrefix("\(hostile.host) answered GET") == true, "\(String(describing: error))")
                    #expect(gets(hostile, "/tags/list") == 2)
                }
            }
        }
    }

    @Test("a tag list of pages that bring no tags ends: pages are capped by the tags seen")
    func pagesWithoutTagsEnd() async throws {
        try await withRegistry { registry in
            _ = try await withRegistryClient { client in
                try await SyntheticImage.push("linux/amd64", to: try repository(registry.host), tags: ["1"], client: client)
            }
            try await withHostileRegistry(in: registry, tricks: [.emptyPages]) { hostile in
                try await withRegistryClient(retrying) { client in
                    let error = await #expect(throws: RegistryError.self) { try await client.tags(try repository(hostile.host)) }
                    #expect(error?.kind == .boundExceeded)
                    #expect(error?.bound == .pagesWithoutTags(pages: 2, tags: 0))
                    #expect(gets(hostile, "/tags/list") == 1)
                }
            }
        }
    }

    @Test("an index entry that says linux/arm64 for an amd64 image (the same digest listed twice) is a platform-mismatch finding")
    func lyingPlatformIsAFinding() async throws {
        try await withRegistry { registry in
            try await withRegistryClient { client in
                let repository = try repository(registry.host)
                let amd64 = try await SyntheticImage.push("linux/amd64", to: repository, tags: [], client: client).manifest
                let arm64 = try await SyntheticImage.push("linux/arm64", to: repository, tags: [], client: client).manifest
                var lie = amd64
                lie.platform = DescriptorPlatform(os: "linux", architecture: "arm64")
                try await SyntheticImage.pushIndex([amd64, lie], to: repository, tags: ["lying"], client: client)
                try await SyntheticImage.pushIndex([amd64, arm64], to: repository, tags: ["true"], client: client)

                let report = await Auditor(client: client).audit([repository.with(tag: "lying"), repository.with(tag: "true")])
                let lying = try #require(report.results.first)
                #expect(lying.findings.map(\.kind) == [.platformMismatch], "\(lying.findings)")
                #expect(lying.findings.first?.platform == "linux/arm64")
                #expect(lying.findings.first?.message.contains("but its image config says linux/amd64") == true)
                #expect(report.results.last?.findings == [], "\(report.results.last?.findings ?? [])")
            }
        }
    }
}
