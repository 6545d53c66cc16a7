/// What `gantry tag SOURCE@DIGEST TAG… [--to HOST…] [--expect TAG=DIGEST…]` asks, as `crane
/// tag` does but guarded and journaled: point `tags` at the manifest `source` names by
/// digest, in the source's repository, or in the same repository of each `--to` registry
/// (copied there by digest first when it lacks it). Journaled as the tag journal's request,
/// so a resume does exactly the same.
public struct TagRequest: Codable, Sendable, Hashable {
    /// `host/repository@digest` the tags will point to.
    public var source: String
    public var tags: [String]
    /// The registries whose tags move.
    public var targets: [RegistryTarget]
    /// Where tags must point for the move to go ahead (the state an audit saw).
    public var expected: [TagExpectation]

    /// Checks every part, naming the one that is wrong; no `to`: the source's own registry.
    /// A target among `configured` (the config's registries) keeps its `ca:` and HTTPS
    /// setting, journaled with the request so a resume reaches it the same way.
    public init(
        source text: String, tags: [String], to: [String] = [], expected: [TagExpectation] = [], configured: [RegistryTarget] = []
    ) throws(TagError) {
        let source: ImageReference
        do { source = try ImageReference.parse(text) } catch { throw TagError(.source, "SOURCE \(text): \(error.description)") }
        guard let digest = source.digest, source.tag == nil else {
            throw TagError(.source, "SOURCE \(text) names no digest: give HOST/REPOSITORY@sha256:…, so the tags get exactly those bytes")
        }
        guard !tags.isEmpty else { throw TagError(.tags, "name at least one TAG to point at \(text)") }
        if let bad = tags.first(where: { !TagName.isValid($0) }) { throw TagError(.tags, "TAG \(bad): \(TagName.grammar)") }
        for host in to {
            if let problem = RegistryHost.problem(host) { throw TagError(.targets, "--to \(host): \(problem)") }
        }
        if let stray = expected.first(where: { !tags.contains($0.tag) }) {
            throw TagError(.expectation, "--expect \(stray): \(stray.tag) is not one of the tags to move (\(tags.joined(separator: ", ")))")
        }
        self.source = ImageReference(registry: source.registry, repository: source.repository, digest: digest).description
        self.tags = tags.uniqued()
        targets = (to.isEmpty ? [source.registry] : to).map(RegistryHost.canonical).uniqued().map { host in
            configured.first { $0.host == host } ?? RegistryTarget(host: host)
        }
        self.expected = expected
    }

    /// The source, parsed (checked when the request was made).
    public var sourceReference: ImageReference {
        get throws { try ImageReference.parse(source) }
    }

    /// The command line that does the same from a shell.
    public var command: String {
        let source = (try? sourceReference).map { ImageReference(registry: $0.registry, repository: $0.repository) }
        let to = targets.count == 1 && targets[0].host == source?.registry ? [] : targets.map { " --to \($0.host)" }
        return "gantry tag \(self.source) \(tags.joined(separator: " "))" + to.joined() + expected.map { " --expect \($0)" }.joined()
    }

    /// The request that does both `self` and `other`: the same source and tags (and
    /// expectations) into their registries together, or the same source into the same
    /// registries with their tags together; nil otherwise.
    func merged(with other: TagRequest) -> TagRequest? {
        guard source == other.source else { return nil }
        var merged = self
        if Set(tags) == Set(other.tags), Set(expected) == Set(other.expected) {
            merged.targets += other.targets.filter { !targets.contains($0) }
        } else if targets == other.targets {
            merged.tags += other.tags.filter { !tags.contains($0) }
            merged.expected += other.expected.filter { !expected.contains($0) }
        } else {
            return nil
        }
        return merged
    }
}

/// Where a tag must point for a `gantry tag` to move it: `TAG=sha256:…`, or `TAG=absent`.
public struct TagExpectation: Codable, Sendable, Hashable, CustomStringConvertible {
    public var tag: String
    /// nil: the tag must not exist.
    public var digest: String?

    public init(tag: String, digest: String?) {
        self.tag = tag
        self.digest = digest
    }

    /// Parses `TAG=DIGEST` or `TAG=absent`.
    public init(parsing text: String) throws(TagError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, TagName.isValid(parts[0]) else {
            throw TagError(.expectation, "--expect \(text): expected TAG=sha256:… or TAG=absent")
        }
        guard parts[1] == "absent" || Digest.isValid(parts[1]) else {
            throw TagError(.expectation, "--expect \(text): \(parts[1]) is neither a sha256 digest nor `absent`")
        }
        self.init(tag: parts[0], digest: parts[1] == "absent" ? nil : parts[1])
    }

    public var description: String { "\(tag)=\(digest ?? "absent")" }
}
