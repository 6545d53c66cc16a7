/// Every tag of a repository, grouped by the digest it points to: tags in one group are one release.
public struct TagListing: Codable, Sendable, Hashable {
    public var registry: String
    public var repository: String
    /// Groups ordered newest release first (by the highest version tag in each), then by digest.
    public var groups: [TagGroup]

    public init(registry: String, repository: String, groups: [TagGroup]) {
        self.registry = registry
        self.repository = repository
        self.groups = groups
    }

    /// The newest release (semver tags sharing a multi-platform index) not at `digest`.
    public func releaseGroup(excluding digest: String?) -> TagGroup? {
        groups.first { $0.digest != digest && $0.isMultiPlatformRelease }
    }
}

/// Tags that point to the same manifest or index.
public struct TagGroup: Codable, Sendable, Hashable {
    public var digest: String
    public var mediaType: String
    /// Sorted, highest version first.
    public var tags: [String]
    /// The image platforms of the index (or the single manifest's platform when known).
    public var platforms: [String]
    /// `not-an-index` for a single manifest while the repository's release tags are an index.
    public var findings: [Finding]

    public init(digest: String, mediaType: String, tags: [String], platforms: [String], findings: [Finding] = []) {
        self.digest = digest
        self.mediaType = mediaType
        self.tags = tags
        self.platforms = platforms
        self.findings = findings
    }

    /// A release: semver tags sharing a multi-platform index.
    var isMultiPlatformRelease: Bool {
        MediaType.isIndex(mediaType) && platforms.count > 1 && highestVersion != nil
    }

    /// The highest semantic version among the tags, if any tag is one.
    var highestVersion: SemanticVersion? {
        tags.compactMap { try? SemanticVersion.parse($0) }.max()
    }
}

extension Auditor {
    /// Lists every tag of `repository` and groups them by digest, marking single manifests
    /// while the newest release is a multi-platform index. Tags deleted while listing are skipped.
    public func listTags(_ repository: ImageReference) async throws -> TagListing {
        // Signatures and referrer indexes are attached to releases, not releases themselves.
        let tags = try await client.tags(repository).filter { !Referrers.isAttachmentTag($0) }
        let resolved = try await withThrowingTaskGroup(of: (String, Descriptor?).self) { group in
            // A window of lookups in flight, each ended one starting the next: a task per tag
            // (20,000 waiting for 8 request slots) costs memory and buys nothing.
            var waiting = tags.makeIterator()
            func start() {
                guard let tag = waiting.next() else { return }
                group.addTask { (tag, try await client.resolve(repository.with(tag: tag))) }
            }
            for _ in 0..<Self.lookupWindow { start() }
            var resolved: [(String, Descriptor)] = []
            while let (tag, descriptor) = try await group.next() {
                if let descriptor { resolved.append((tag, descriptor)) }
                start()
            }
            return resolved
        }
        let byDigest = Dictionary(grouping: resolved, by: { $0.1.digest })
        let groups = try await withThrowingTaskGroup(of: TagGroup.self) { group in
            for (digest, members) in byDigest {
                group.addTask {
                    let manifest = try await client.manifest(repository.with(digest: digest))
                    let platforms: [String]
                    switch manifest.content {
                    case .index(let index):
                        platforms = index.manifests.filter { !$0.isAttestation }.map {
                            $0.platform.map { $0.platform?.description ?? $0.description } ?? "unknown"
                        }
                    case .image:
                        platforms = []
                    }
                    let sortedTags = members.map(\.0).sorted(by: Self.tagOrder)
                    return TagGroup(digest: digest, mediaType: manifest.mediaType, tags: sortedTags, platforms: platforms)
                }
            }
            var groups: [TagGroup] = []
            for try await g in group { groups.append(g) }
            return groups
        }
        var listing = TagListing(registry: repository.registry, repository: repository.repository, groups: groups.sorted(by: Self.groupOrder))
        guard let release = listing.releaseGroup(excluding: nil) else { return listing }
        for i in listing.groups.indices where !MediaType.isIndex(listing.groups[i].mediaType) {
            let group = listing.groups[i]
            var platform = "unknown"
            if let image = try await client.manifest(repository.with(digest: group.digest)).image {
                platform = try await client.imageConfig(repository, manifest: image).platform?.description ?? platform
            }
            listing.groups[i].platforms = [platform]
            listing.groups[i].findings = [Self.notAnIndex(
                "\(repository.name):\(group.tags.joined(separator: ",")) (\(Digest.short(group.digest)))", platform: platform, release: release)]
        }
        return listing
    }

    /// Tag lookups in flight at once: well above the request limits per registry Gantry uses
    /// (8, 32), so the limit, not the window, sets the pace.
    static let lookupWindow = 256

    /// Requests at once per registry for a listing: one small HEAD per tag (Docker Hub does
    /// not count HEADs against pull limits), so the round trip sets the pace: 8 at once
    /// would make 20,000 tags 20 ms away take 50 s at best, 32 takes 12.5 s.
    public static let listingConcurrency = 32

    /// Higher versions first; non-version tags after, alphabetically.
    static func tagOrder(_ a: String, _ b: String) -> Bool {
        switch (try? SemanticVersion.parse(a), try? SemanticVersion.parse(b)) {
        case (let va?, let vb?): va != vb ? va > vb : a < b
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a < b
        }
    }

    static func groupOrder(_ a: TagGroup, _ b: TagGroup) -> Bool {
        switch (a.highestVersion, b.highestVersion) {
        case (let va?, let vb?): va != vb ? va > vb : a.digest < b.digest
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a.tags.first ?? "" < b.tags.first ?? ""
        }
    }
}
