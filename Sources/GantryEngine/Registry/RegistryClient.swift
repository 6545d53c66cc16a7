import Foundation
import NIOHTTP1

/// Gantry's own OCI distribution client: resolves references, reads and writes manifests
/// and blobs, and lists tags, with docker-compatible auth, per-registry concurrency,
/// retries and caching of content fetched by digest.
public final class RegistryClient: Sendable {
    private let transport: RegistryTransport
    private let manifests = ImmutableCache<FetchedManifest>()
    private let configs = ImmutableCache<ImageConfig>()
    private let uploads = InFlightRequests<BlobTransfer>()

    public init(configuration: RegistryClientConfiguration = .init(), credentials: CredentialStore = .fromDockerConfig()) {
        transport = RegistryTransport(configuration: configuration, credentials: credentials)
    }

    /// Closes the HTTP connections; call once when done.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// The requests sent so far, by method and resource kind.
    public var statistics: RequestStatistics {
        get async { await transport.counter.snapshot }
    }

    // MARK: Manifests

    /// What `reference` points to, by HEAD (falling back to GET when the registry sends no
    /// `Docker-Content-Digest`); nil when the tag or digest does not exist. A digest this
    /// client fetched or uploaded in that repository is answered from its cache, unless
    /// `cached` is false (a read-back).
    public func resolve(_ reference: ImageReference, cached: Bool = true) async throws -> Descriptor? {
        if cached, let digest = reference.digest, let cached = await manifests[cacheKey(reference, digest)] {
            return cached.descriptor
        }
        let response = try await transport.send(manifestRequest(.HEAD, reference))
        switch response.status {
        case 200:
            if let digest = response.header("Docker-Content-Digest"), Digest.isValid(digest),
                let type = response.header("Content-Type").map(Self.bareMediaType), MediaType.isManifest(type),
                let size = response.header("Content-Length").flatMap(Int64.init) {
                if let asked = reference.digest, asked != digest {
                    throw RegistryError(.digestMismatch, "HEAD \(reference) answered with digest \(digest)")
                }
                return Descriptor(mediaType: type, digest: digest, size: size)
            }
            do {
                return try await manifest(reference).descriptor
            } catch let error as RegistryError where error.kind == .notFound {
                return nil
            }
        case 404:
            return nil
        default:
            throw failure(response, "HEAD manifest \(reference)")
        }
    }

    /// The manifest `reference` points to; verified against the digest when asked by digest.
    /// Manifests are cached by digest, so asking again costs no request.
    public func manifest(_ reference: ImageReference) async throws -> FetchedManifest {
        if let digest = reference.digest, let cached = await manifests[cacheKey(reference, digest)] { return cached }
        let response = try await transport.send(manifestRequest(.GET, reference))
        guard response.status == 200 else { throw failure(response, "GET manifest \(reference)") }
        let bytes = response.body
        let digest = ContentDigest.sha256(bytes)
        if let asked = reference.digest {
            try ContentDigest.verify(bytes, expected: asked, what: "manifest \(reference)")
        } else if let claimed = response.header("Docker-Content-Digest"), claimed.hasPrefix("sha256:"), claimed != digest {
            throw RegistryError(.digestMismatch, "manifest \(reference): the registry claims digest \(claimed) but the bytes hash to \(digest)")
        }
        let headerType = response.header("Content-Type").map(Self.bareMediaType)
        // A body without a mediaType field leaves the header to say; the parse below fails loudly on bad bytes.
        let bodyType = (try? JSONDecoder().decode(MediaTypeField.self, from: bytes))?.mediaType
        let mediaType = [headerType, bodyType].compactMap { $0 }.first(where: MediaType.isManifest) ?? bodyType ?? headerType ?? MediaType.ociManifest
        let content = try ManifestContent.parse(bytes, mediaType: mediaType)
        let fetched = FetchedManifest(
            descriptor: Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count), artifactType: artifactType(content)),
            bytes: bytes, content: content)
        await manifests.store(fetched, for: cacheKey(reference, digest))
        return fetched
    }

    /// Uploads a manifest under `reference` (a tag or a digest) and returns its digest.
    @discardableResult
    public func putManifest(_ repository: ImageReference, reference: String, mediaType: String, bytes: Data) async throws -> String {
        try await sendManifest(repository, reference: reference, mediaType: mediaType, bytes: bytes).digest
    }

    /// Uploads an artifact manifest that names a subject by its digest; returns its digest and
    /// whether the registry indexed the subject (`OCI-Subject`, OCI 1.1): if not, the caller
    /// lists the artifact in the subject's `sha256-<hex>` fallback index itself.
    public func putReferrer(_ repository: ImageReference, mediaType: String, bytes: Data) async throws -> (digest: String, indexed: Bool) {
        let sent = try await sendManifest(repository, reference: ContentDigest.sha256(bytes), mediaType: mediaType, bytes: bytes)
        return (sent.digest, sent.response.header("OCI-Subject") != nil)
    }

    private func sendManifest(_ repository: ImageReference, reference: String, mediaType: String, bytes: Data) async throws -> (digest: String, response: RegistryResponse) {
        let digest = ContentDigest.sha256(bytes)
        if Digest.isValid(reference) {
            try ContentDigest.verify(bytes, expected: reference, what: "manifest to upload")
        }
        let request = RegistryRequest(
            method: .PUT, registry: repository.registry, path: "/v2/\(repository.repository)/manifests/\(reference)",
            headers: [("Content-Type", mediaType)], body: .bytes(bytes), scopes: Self.push(repository))
        let response = try await transport.send(request)
        guard response.status == 201 || response.status == 200 else {
            throw failure(response, "PUT manifest \(repository.name):\(reference)")
        }
        if let stored = response.header("Docker-Content-Digest"), stored.hasPrefix("sha256:"), stored != digest {
            throw RegistryError(.digestMismatch, "PUT manifest \(repository.name):\(reference): the registry stored \(stored), not the \(digest) sent")
        }
        // Only the cache needs it parsed; an artifact it cannot parse is read again when asked for.
        if let content = try? ManifestContent.parse(bytes, mediaType: mediaType) {
            let fetched = FetchedManifest(
                descriptor: Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count), artifactType: artifactType(content)),
                bytes: bytes, content: content)
            await manifests.store(fetched, for: cacheKey(repository, digest))
        }
        ActivityLog.record(Digest.isValid(reference)
            ? .manifestPush(repository: repository.name, digest: digest)
            : .tagWrite(repository: repository.name, tag: reference, digest: digest))
        return (digest, response)
    }

    // MARK: Blobs

    /// Whether the repository holds the blob (HEAD).
    public func blobExists(_ repository: ImageReference, digest: String) async throws -> Bool {
        let response = try await transport.send(blobRequest(.HEAD, repository, digest))
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw failure(response, "HEAD blob \(repository.name)@\(digest)")
        }
    }

    /// The blob's bytes, verified against its digest.
    public func blob(_ repository: ImageReference, digest: String) async throws -> Data {
        let response = try await transport.send(blobRequest(.GET, repository, digest))
        guard response.status == 200 else { throw failure(response, "GET blob \(repository.name)@\(digest)") }
        try ContentDigest.verify(response.body, expected: digest, what: "blob \(repository.name)@\(digest)")
        return response.body
    }

    /// The image configuration a manifest names (os, architecture, created, labels); cached by digest.
    public func imageConfig(_ repository: ImageReference, manifest: ImageManifest) async throws -> ImageConfig {
        let key = cacheKey(repository, manifest.config.digest)
        if let cached = await configs[key] { return cached }
        let bytes = try await blob(repository, digest: manifest.config.digest)
        do {
            let config = try JSONDecoder().decode(ImageConfig.self, from: bytes)
            await configs.store(config, for: key)
            return config
        } catch {
            throw RegistryError(.invalidResponse, "the image config \(manifest.config.digest) in \(repository.name) is not valid JSON: \(error)")
        }
    }

    /// Uploads a blob monolithically (POST, then PUT with the digest), unless it is already
    /// there. `checkingFirst: false` skips the HEAD for content just made (a record, a
    /// signature payload), which no registry holds yet: one round trip less.
    public func uploadBlob(_ repository: ImageReference, digest: String, data: Data, checkingFirst: Bool = true) async throws {
        try ContentDigest.verify(data, expected: digest, what: "blob to upload")
        _ = try await oneUpload(of: digest, to: repository) {
            if checkingFirst, try await self.blobExists(repository, digest: digest) { return .present }
            try await self.transport.withSlots([repository.registry]) {
                try await self.putBlob(repository, digest: digest, body: .bytes(data))
            }
            return .copied
        }
    }

    /// Makes the blob `descriptor` names exist in `target`: nothing when it is there
    /// already (HEAD), a cross-repository mount when `source` is in the same registry, else
    /// streamed from `source` into `target` — never held whole in memory — and verified
    /// against its digest and size before its last bytes are sent, so a corrupt source
    /// never completes an upload. A transfer that fails on the way is started again.
    @discardableResult
    public func copyBlob(_ descriptor: Descriptor, from source: ImageReference, to target: ImageReference) async throws -> BlobTransfer {
        try await oneUpload(of: descriptor.digest, to: target) {
            if try await self.blobExists(target, digest: descriptor.digest) { return .present }
            if try await self.mountBlob(descriptor.digest, from: source, to: target) { return .mounted }
            var attempt = 0
            while true {
                do {
                    try await self.transport.withSlots([source.registry, target.registry]) {
                        try await self.streamBlob(descriptor, from: source, to: target)
                    }
                    return .copied
                } catch let error as RegistryError where error.isTransient && attempt < self.transport.configuration.maxRetries {
                    attempt += 1
                    try await self.transport.backoff(attempt, retryAfter: nil)
                }
            }
        }
    }

    /// One upload per blob and repository at a time: a second upload of a blob that is
    /// being committed makes distribution re-link it, and its filesystem driver rewrites
    /// the link file in place (truncate, then write), so a manifest PUT checking its blobs
    /// at that instant finds none ("blob unknown"). Platforms sharing a layer join the
    /// upload in flight instead.
    private func oneUpload(of digest: String, to repository: ImageReference, _ body: @escaping @Sendable () async throws -> BlobTransfer) async throws -> BlobTransfer {
        try await uploads.run("\(RegistryHost.canonical(repository.registry))/\(repository.repository)@\(digest)", body)
    }

    /// GET from `source`, its body passed on as it arrives into a monolithic upload to `target`.
    private func streamBlob(_ descriptor: Descriptor, from source: ImageReference, to target: ImageReference) async throws {
        let response = try await transport.sendHoldingSlots(blobRequest(.GET, source, descriptor.digest), streamingResponse: true)
        guard response.status == 200, let stream = response.stream else {
            throw failure(response, "GET blob \(source.name)@\(descriptor.digest)")
        }
        if let length = response.header("Content-Length").flatMap(Int64.init), length != descriptor.size {
            throw RegistryError(.digestMismatch, "GET blob \(source.name)@\(descriptor.digest): the registry sends \(length) bytes, the manifest says \(descriptor.size)")
        }
        let verified = DigestVerifyingStream(stream, digest: descriptor.digest, size: descriptor.size, what: "blob \(source.name)@\(descriptor.digest)")
        do {
            try await putBlob(target, digest: descriptor.digest, body: .stream(.stream(verified, length: .known(descriptor.size))))
        } catch {
            // A source that sent other bytes ends the upload; say so rather than the transport's echo of it.
            throw verified.failure ?? error
        }
    }

    /// A monolithic upload (POST, then PUT with the digest), inside the caller's slots.
    private func putBlob(_ repository: ImageReference, digest: String, body: RegistryRequest.Body) async throws {
        let request = RegistryRequest(
            method: .POST, registry: repository.registry, path: "/v2/\(repository.repository)/blobs/uploads/",
            headers: [("Content-Length", "0")], scopes: Self.push(repository))
        let start = try await transport.sendHoldingSlots(request)
        guard start.status == 202, let location = start.header("Location") else {
            throw failure(start, "POST blob upload \(repository.name)")
        }
        let separator = location.contains("?") ? "&" : "?"
        var finish = try transport.follow(location + separator + "digest=\(digest)", from: request)
        finish.method = .PUT
        finish.headers = [("Content-Type", "application/octet-stream")]
        finish.body = body
        let finished = try await transport.sendHoldingSlots(finish)
        guard finished.status == 201 else { throw failure(finished, "PUT blob \(repository.name)@\(digest)") }
        ActivityLog.record(.blobPush(repository: repository.name, digest: digest, from: nil))
    }

    /// Mounts a blob from another repository of the same registry; false when the registry
    /// did not mount it (the caller then copies it).
    public func mountBlob(_ digest: String, from source: ImageReference, to target: ImageReference) async throws -> Bool {
        guard RegistryHost.canonical(source.registry) == RegistryHost.canonical(target.registry) else { return false }
        let request = RegistryRequest(
            method: .POST, registry: target.registry,
            path: "/v2/\(target.repository)/blobs/uploads/?mount=\(digest)&from=\(source.repository)",
            headers: [("Content-Length", "0")],
            scopes: Self.push(target) + ["repository:\(source.repository):pull"])
        let response = try await transport.send(request)
        switch response.status {
        case 201:
            ActivityLog.record(.blobPush(repository: target.name, digest: digest, from: source.name))
            return true
        case 202:
            // The registry opened an upload session instead; end it so it does not linger.
            if let location = response.header("Location"), var cancel = try? transport.follow(location, from: request) {
                cancel.method = .DELETE
                cancel.headers = []
                _ = try? await transport.send(cancel)
            }
            return false
        default:
            throw failure(response, "mount \(digest) from \(source.name) into \(target.name)")
        }
    }

    // MARK: Referrers

    /// The artifacts that name `subject` (a digest in `repository`) as their subject: from the
    /// OCI 1.1 referrers API, or, where the registry lacks it (404), from the index tagged
    /// `sha256-<hex>` (the referrers tag schema).
    public func referrers(_ repository: ImageReference, subject: String) async throws -> Referrers {
        let response = try await transport.send(RegistryRequest(
            method: .GET, registry: repository.registry, path: "/v2/\(repository.repository)/referrers/\(subject)",
            headers: [("Accept", MediaType.ociIndex)], scopes: Self.pull(repository), bodyLimit: .manifest))
        switch response.status {
        case 200:
            guard let index = try? JSONDecoder().decode(ImageIndex.self, from: response.body) else {
                throw RegistryError(.invalidResponse, "the referrers of \(repository.name)@\(subject) are not an OCI index")
            }
            return Referrers(descriptors: index.manifests, source: .api)
        case 404:
            let tag = Referrers.fallbackTag(for: subject)
            guard try await resolve(repository.with(tag: tag)) != nil else { return Referrers(descriptors: [], source: .tagSchema) }
            guard let index = try await manifest(repository.with(tag: tag)).index else {
                throw RegistryError(.invalidResponse, "\(repository.name):\(tag) is not an index of referrers")
            }
            return Referrers(descriptors: index.manifests, source: .tagSchema)
        default:
            throw failure(response, "GET referrers of \(repository.name)@\(subject)")
        }
    }

    // MARK: The API root

    /// Checks that `registry` answers `GET /v2/` with the configured credentials (a 401 is
    /// answered with them first); throws what went wrong otherwise.
    public func checkAPI(_ registry: String) async throws {
        let response = try await transport.send(RegistryRequest(method: .GET, registry: registry, path: "/v2/", scopes: []))
        guard response.status == 200 else { throw failure(response, "GET \(registry)/v2/") }
    }

    // MARK: Tags

    /// Every tag of the repository, each once, following `Link` pagination. A `Link` back to
    /// a page already read, or more pages than distinct tags (pages bringing nothing new),
    /// ends the listing with a `boundExceeded` error: such a list would never end.
    public func tags(_ repository: ImageReference) async throws -> [String] {
        struct Page: Decodable { var tags: [String]? }
        var request: RegistryRequest? = RegistryRequest(
            method: .GET, registry: repository.registry,
            path: "/v2/\(repository.repository)/tags/list" + (transport.configuration.tagPageSize.map { "?n=\($0)" } ?? ""),
            scopes: Self.pull(repository))
        var tags: [String] = []
        var seen = Set<String>()
        var visited = Set<String>()
        while let page = request {
            let response = try await transport.send(page)
            guard response.status == 200 else {
                let error = failure(response, "GET tags of \(repository.name)")
                // Nothing pushed to the repository yet: distribution answers NAME_UNKNOWN, and
                // the truthful list of its tags is empty (a first release, a quit one).
                if visited.isEmpty, error.codes.contains("NAME_UNKNOWN") { return [] }
                throw error
            }
            guard let listed = try? JSONDecoder().decode(Page.self, from: response.body) else {
                throw RegistryError(.invalidResponse, "the tag list of \(repository.name) is not {\"tags\":[...]} JSON")
            }
            for tag in listed.tags ?? [] where seen.insert(tag).inserted { tags.append(tag) }
            visited.insert(transport.absoluteURL(of: page))
            guard let next = try LinkHeader.next(response.header("Link")).map({ try transport.follow($0, from: page) }) else { break }
            let url = transport.absoluteURL(of: next)
            let bound: RegistryBound? = visited.contains(url) ? .repeatedLink(url)
                : visited.count > tags.count ? .pagesWithoutTags(pages: visited.count + 1, tags: tags.count) : nil
            if let bound { throw RegistryError(exceeding: bound, host: page.registry, request: "GET \(transport.absoluteURL(of: page))") }
            request = next
        }
        return tags
    }

    // MARK: Helpers

    private func manifestRequest(_ method: HTTPMethod, _ reference: ImageReference) -> RegistryRequest {
        let ref = reference.digest ?? reference.tag ?? "latest"
        return RegistryRequest(
            method: method, registry: reference.registry, path: "/v2/\(reference.repository)/manifests/\(ref)",
            headers: [("Accept", MediaType.manifestAccept)], scopes: Self.pull(reference), bodyLimit: .manifest)
    }

    private func blobRequest(_ method: HTTPMethod, _ repository: ImageReference, _ digest: String) -> RegistryRequest {
        RegistryRequest(method: method, registry: repository.registry, path: "/v2/\(repository.repository)/blobs/\(digest)", scopes: Self.pull(repository))
    }

    private func cacheKey(_ repository: ImageReference, _ digest: String) -> String {
        "\(RegistryHost.canonical(repository.registry))/\(repository.repository)@\(digest)"
    }

    private func failure(_ response: RegistryResponse, _ what: String) -> RegistryError {
        RegistryError.from(status: response.status, body: response.body, request: what)
    }

    private func artifactType(_ content: ManifestContent) -> String? {
        switch content {
        case .index(let index): index.artifactType
        case .image(let image): image.artifactType
        }
    }

    private struct MediaTypeField: Decodable { var mediaType: String? }

    /// `application/json; charset=utf-8` → `application/json`.
    private static func bareMediaType(_ header: String) -> String {
        String(header.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func pull(_ repository: ImageReference) -> [String] { ["repository:\(repository.repository):pull"] }
    static func push(_ repository: ImageReference) -> [String] { ["repository:\(repository.repository):pull,push"] }
}
