import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// Faults between the client and a real registry: wrong bytes, 5xx, 429, nothing listening.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RegistryResilienceTests {
    /// Pushes one image to a fresh registry and runs `body` with a fault proxy in front of it.
    func withFaults(_ rules: [FaultInjectingProxy.Rule], _ body: (FaultInjectingProxy, String) async throws -> Void) async throws {
        try await withRegistry { registry in
            try await withImageFixtures { fixtures in
                try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:1")
                let proxy = try FaultInjectingProxy(upstreamPort: registry.port, rules: rules)
                defer { proxy.stop() }
                try await body(proxy, try await Skopeo.digest("\(registry.host)/acme/app:1"))
            }
        }
    }

    /// The cause of the console release flake: parallel platforms uploading a shared layer
    /// to one repository made distribution re-link the blob while another platform's manifest
    /// PUT checked it (distribution 2.8 rewrites the link file in place), answering "blob
    /// unknown". Concurrent uploads of one blob now share one upload.
    @Test func concurrentUploadsOfOneBlobMakeOneUpload() async throws {
        // Slow HEADs (simulated latency) make both uploads ask before either has committed.
        let slow = FaultInjectingProxy.Rule(method: "HEAD", pathContains: "/blobs/", fault: .before({ _ in Thread.sleep(forTimeInterval: 0.2) }), times: .max)
        try await withFaults([slow]) { proxy, _ in
            try await withRegistryClient { client in
                let repository = ImageReference(registry: proxy.host, repository: "acme/layers")
                let layer = Data("a layer every platform shares\n".utf8)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 { group.addTask { try await client.uploadBlob(repository, digest: sha256Digest(layer), data: layer) } }
                    try await group.waitForAll()
                }
                let sessions = proxy.log.filter { $0.method == "POST" && $0.path.contains("/acme/layers/blobs/uploads/") }
                #expect(sessions.count == 1)
                #expect(try await client.blobExists(repository, digest: sha256Digest(layer)))
            }
        }
    }

    @Test func bytesThatDoNotMatchTheDigestAreRejected() async throws {
        let corrupt = FaultInjectingProxy.Rule(method: "GET", pathContains: "/manifests/", fault: .corruptBody, times: 100)
        try await withFaults([corrupt]) { proxy, digest in
            try await withRegistryClient(.init(maxRetries: 0)) { client in
                let byDigest = try ImageReference.parse("\(proxy.host)/acme/app@\(digest)")
                let error = await #expect(throws: RegistryError.self) { try await client.manifest(byDigest) }
                #expect(error?.kind == .digestMismatch)
                #expect(error?.description.contains(digest) == true)
                // By tag, the registry's Docker-Content-Digest header is the claim checked.
                let byTag = await #expect(throws: RegistryError.self) { try await client.manifest(try .parse("\(proxy.host)/acme/app:1")) }
                #expect(byTag?.kind == .digestMismatch)
            }
        }
    }

    @Test func serverErrorsAreRetriedUntilTheRegistryAnswers() async throws {
        let unavailable = FaultInjectingProxy.Rule(method: "HEAD", pathContains: "/manifests/1", fault: .status(503), times: 2)
        try await withFaults([unavailable]) { proxy, digest in
            try await withRegistryClient(.init(maxRetries: 3, retryBaseDelay: .milliseconds(10))) { client in
                let descriptor = try await client.resolve(try .parse("\(proxy.host)/acme/app:1"))
                #expect(descriptor?.digest == digest)
            }
            #expect(proxy.log.filter { $0.method == "HEAD" }.map(\.faulted) == [true, true, false])
        }
    }

    @Test func retriesAreBoundedAndTheLastErrorIsReported() async throws {
        let broken = FaultInjectingProxy.Rule(method: "HEAD", pathContains: "/manifests/1", fault: .status(502), times: 100)
        try await withFaults([broken]) { proxy, _ in
            try await withRegistryClient(.init(maxRetries: 2, retryBaseDelay: .milliseconds(10))) { client in
                let error = await #expect(throws: RegistryError.self) { try await client.resolve(try .parse("\(proxy.host)/acme/app:1")) }
                #expect(error?.kind == .server)
                #expect(error?.status == 502)
            }
            #expect(proxy.log.filter { $0.method == "HEAD" }.count == 3)
        }
    }

    @Test func tooManyRequestsWaitsForRetryAfter() async throws {
        let limited = FaultInjectingProxy.Rule(
            method: "GET", pathContains: "/manifests/", fault: .status(429, headers: [("Retry-After", "1")]), times: 1)
        try await withFaults([limited]) { proxy, digest in
            // The base delay is tiny, so only Retry-After can explain a one-second gap.
            try await withRegistryClient(.init(maxRetries: 2, retryBaseDelay: .milliseconds(1))) { client in
                let manifest = try await client.manifest(try .parse("\(proxy.host)/acme/app@\(digest)"))
                #expect(manifest.digest == digest)
            }
            let gets = proxy.log.filter { $0.method == "GET" }
            #expect(gets.map(\.faulted) == [true, false])
            #expect(gets[1].arrived - gets[0].arrived >= .seconds(1))
        }
    }

    @Test func nothingListeningIsATransportErrorAfterRetries() async throws {
        let port = try freeLoopbackPort()
        try await withRegistryClient(.init(maxRetries: 1, retryBaseDelay: .milliseconds(5))) { client in
            let error = await #expect(throws: RegistryError.self) { try await client.resolve(try .parse("127.0.0.1:\(port)/acme/app:1")) }
            #expect(error?.kind == .transport)
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        }
    }
}
