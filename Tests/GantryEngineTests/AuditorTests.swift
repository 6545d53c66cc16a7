import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The audit against real registries holding whole, partial, drifting, attested and duplicated releases.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct AuditorTests {
    let threePlatforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    var expectThree: AuditExpectation { AuditExpectation(platforms: threePlatforms.map { try! Platform.parse($0) }) }

    @Test func aWholeMultiPlatformTagHasNoFindings() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/acme/app:3.14"
                try await fixtures.pushIndex(
                    platforms: threePlatforms,
                    labels: [AnnotationKey.version: "3.14.1", AnnotationKey.revision: "0123abcd"], to: [text])
                let report = try await withRegistryClient { client in
                    await Auditor(client: client).audit([try .parse(text)], expecting: expectThree)
                }
                let result = try #require(report.results.first)
                #expect(result.findings.isEmpty, "\(result.findings)")
                #expect(result.digest == (try await Skopeo.digest(text)))
                #expect(result.isIndex)
                let oracle = try await skopeoIndexEntries(text)
                #expect(result.platforms.map(\.platform) == oracle.map(platformText))
                #expect(result.platforms.map(\.digest) == oracle.map { $0["digest"] as? String })
                #expect(result.version == "3.14.1")
                #expect(result.revision == "0123abcd")
                #expect(result.created != nil)
            }
        }
    }

    @Test func aTagOverwrittenByOnePlatformIsNotAnIndexAndLacksTheOthers() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/acme/app:latest"
                try await fixtures.pushIndex(platforms: threePlatforms, to: [text])
                // The classic partial release: a single-platform push over the tag.
                try await fixtures.pushImage(platform: "linux/arm64", to: text)
                let report = try await withRegistryClient { client in
                    await Auditor(client: client).audit([try .parse(text)], expecting: expectThree)
                }
                let result = try #require(report.results.first)
                #expect(result.digest == (try await Skopeo.digest(text)))
                #expect(!result.isIndex)
                #expect(result.platforms.map(\.platform) == ["linux/arm64"])
                #expect(Set(result.findings.map(\.kind)) == [.notAnIndex, .missingPlatform])
                #expect(Set(result.findings.filter { $0.kind == .missingPlatform }.compactMap(\.platform)) == ["linux/amd64", "linux/arm/v7"])
            }
        }
    }

    @Test func theSameTagPointingElsewhereInAnotherRegistryIsDrift() async throws {
        try await withRegistries(2) { registries in
            try await withImageFixtures { fixtures in
                let texts = registries.map { "\($0.host)/acme/app:2.0.0" }
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [texts[0]])
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [texts[1]])
                let report = try await withRegistryClient { client in
                    await Auditor(client: client).audit(try texts.map { try .parse($0) })
                }
                #expect(report.results.map(\.digest) == (try await Skopeo.digests(texts)))
                #expect(report.results.allSatisfy { $0.findings.map(\.kind) == [.drift] })
                #expect(report.results[0].findings[0].message.contains(registries[1].host))
            }
        }
    }

    @Test func attestationManifestsAreShownAsAttestationsOfTheirSubject() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let built = "\(registry.host)/acme/app:built"
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: [built])
                let text = "\(registry.host)/acme/app:attested"
                let repository = try ImageReference.parseRepository("\(registry.host)/acme/app")
                let report = try await withRegistryClient { client in
                    let index = try #require(try await client.manifest(repository.with(tag: "built")).index)
                    var entries = index.manifests
                    for platform in index.manifests { entries.append(try await putAttestation(client, repository, subject: platform)) }
                    try await putIndex(client, repository, tag: "attested", entries: entries)
                    return await Auditor(client: client).audit([try .parse(text)], expecting: AuditExpectation(platforms: [try Platform.parse("linux/amd64"), try Platform.parse("linux/arm64")]))
                }
                let result = try #require(report.results.first)
                #expect(result.findings.isEmpty, "\(result.findings)")
                #expect(result.digest == (try await Skopeo.digest(text)))
                let oracle = try await skopeoIndexEntries(text).map(platformText)
                #expect(oracle.filter { $0 == "unknown/unknown" }.count == 2)
                #expect(result.platforms.map(\.platform) == oracle.filter { $0 != "unknown/unknown" })
                #expect(Set(result.platforms.map(\.platform)) == ["linux/amd64", "linux/arm64"])
                #expect(result.attestations.map(\.platform) == result.platforms.map(\.platform))
                #expect(result.attestations.map(\.subject) == result.platforms.map(\.digest))
            }
        }
    }

    @Test func twoEntriesForOnePlatformAreADuplicate() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let repository = try ImageReference.parseRepository("\(registry.host)/acme/app")
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: ["\(repository.name):old"])
                try await fixtures.pushIndex(platforms: ["linux/amd64"], to: ["\(repository.name):rebuilt"])
                let report = try await withRegistryClient { client in
                    // What `imagetools create --append` leaves: the old index plus a rebuilt amd64.
                    let old = try #require(try await client.manifest(repository.with(tag: "old")).index)
                    let rebuilt = try #require(try await client.manifest(repository.with(tag: "rebuilt")).index)
                    try await putIndex(client, repository, tag: "appended", entries: old.manifests + rebuilt.manifests)
                    return await Auditor(client: client).audit([repository.with(tag: "appended")])
                }
                let result = try #require(report.results.first)
                #expect(result.digest == (try await Skopeo.digest("\(repository.name):appended")))
                #expect(result.findings.map(\.kind) == [.duplicatePlatform])
                #expect(result.findings.first?.platform == "linux/amd64")
            }
        }
    }

    @Test func missingTagsAndUnreachableRegistriesAreFindings() async throws {
        let closedPort = try freeLoopbackPort()
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:1")
                let report = try await withRegistryClient(.init(maxRetries: 0)) { client in
                    await Auditor(client: client).audit([
                        try .parse("\(registry.host)/acme/app:2"), try .parse("127.0.0.1:\(closedPort)/acme/app:1"),
                    ])
                }
                #expect(report.results.map { $0.findings.map(\.kind) } == [[.tagMissing], [.unreachable]])
                #expect(report.results[1].findings[0].message.contains("127.0.0.1:\(closedPort)"))
                #expect(report.isIncomplete)
            }
        }
    }

    @Test("release tags that cannot be listed make the audit of a single manifest incomplete, never clean")
    func unlistableReleaseTagsMakeTheAuditIncomplete() async throws {
        try await withUnlistableReleaseTags { proxy in
            let scope = AuditScope(references: [try .parse("\(proxy.host)/acme/app:latest")], config: nil)
            let audit = { try await withRegistryClient { client in await Auditor(client: client).audit(scope.targets) } }

            let faulted = try await audit()
            let result = try #require(faulted.results.first)
            #expect(proxy.log.contains { $0.faulted && $0.path.hasSuffix("/tags/list") })
            #expect(result.findings.isEmpty, "\(result.findings)")
            #expect(result.unchecked.map(\.check) == [.releaseTags])
            #expect(result.unchecked.first?.error.kind == "registry.server")
            #expect(faulted.isIncomplete)

            // The same audit with the registry answering: the release tags say latest is not whole.
            proxy.arm([])
            let answered = try await audit()
            #expect(Set(answered.findings.map(\.kind)) == [.notAnIndex, .missingPlatform])
            #expect(answered.results.first?.unchecked.isEmpty == true)
            #expect(!answered.isIncomplete)
        }
    }

    @Test func tagsAreGroupedByTheDigestTheyPointTo() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let repository = try ImageReference.parseRepository("\(registry.host)/acme/app")
                try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: ["1.0.0", "1.0", "1", "latest"].map { "\(repository.name):\($0)" })
                try await fixtures.pushIndex(platforms: ["linux/amd64"], to: ["0.9.0", "0.9"].map { "\(repository.name):\($0)" })
                let listing = try await withRegistryClient { client in try await Auditor(client: client).listTags(repository) }
                #expect(listing.groups.count == 2)
                #expect(listing.groups.map(\.digest) == [try await Skopeo.digest("\(repository.name):1.0.0"), try await Skopeo.digest("\(repository.name):0.9.0")])
                #expect(Set(listing.groups[0].tags) == ["1.0.0", "1.0", "1", "latest"])
                #expect(listing.groups[0].tags.first == "1.0.0")
                #expect(listing.groups[0].platforms == (try await skopeoIndexEntries("\(repository.name):1").map(platformText)))
                #expect(Set(listing.groups[1].tags) == ["0.9.0", "0.9"])
            }
        }
    }

    @Test("a partial list of expected platforms reports only what is missing; the full set also reports extra platforms")
    func aPartialExpectationReportsNoExtraPlatforms() async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                let text = "\(registry.host)/acme/app:1.0.0"
                try await fixtures.pushIndex(platforms: threePlatforms, to: [text])
                let amd64 = [try Platform.parse("linux/amd64")], ppc = [try Platform.parse("linux/amd64"), try Platform.parse("linux/ppc64le")]
                let reports = try await withRegistryClient { client in
                    let auditor = Auditor(client: client)
                    return [
                        await auditor.audit([try .parse(text)], expecting: AuditExpectation(platforms: amd64, isComplete: false)),
                        await auditor.audit([try .parse(text)], expecting: AuditExpectation(platforms: ppc, isComplete: false)),
                        await auditor.audit([try .parse(text)], expecting: AuditExpectation(platforms: amd64, isComplete: true)),
                    ]
                }
                #expect(reports[0].findings.isEmpty)
                #expect(reports[1].findings.map(\.kind) == [.missingPlatform] && reports[1].findings.first?.platform == "linux/ppc64le")
                #expect(Set(reports[2].findings.compactMap(\.platform)) == ["linux/arm64", "linux/arm/v7"] && reports[2].findings.allSatisfy { $0.kind == .extraPlatform })
            }
        }
    }
}
