/// Checks before anything is published: every platform has a digest (or is named
/// by `--allow-partial`), every digest exists in every target registry, no platform
/// appears twice. Every registry is asked about every digest at once.
public struct Preflight: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The platforms that will be published, after the checks. In `content`, the repository
    /// the index is composed from, each manifest is read whole instead of asked about with
    /// HEAD: composing needs its bytes next, and the client keeps them.
    public func check(
        sources: [PlatformSource], expected: [Platform], allowPartial: Set<Platform>,
        repositories: [ImageReference], content: ImageReference? = nil
    ) async throws -> [Platform] {
        var problems: [String] = []
        let counts = Dictionary(grouping: sources, by: \.platform).mapValues(\.count)
        for (platform, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("\(platform) has \(count) digests; give one")
        }
        let missing = expected.filter { counts[$0] == nil }
        let unexcused = missing.filter { !allowPartial.contains($0) }
        if !unexcused.isEmpty {
            problems.append("no digest for \(unexcused.map(\.description).joined(separator: ", ")); a partial index is refused unless --allow-partial names each missing platform")
        }
        let extra = Set(sources.map(\.platform)).subtracting(expected).sorted()
        if !extra.isEmpty {
            problems.append("\(extra.map(\.description).joined(separator: ", ")) is not a platform of this release")
        }
        let absent = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for (r, repository) in repositories.enumerated() {
                for (s, source) in sources.enumerated() {
                    group.addTask {
                        let held = try await holds(source.digest, in: repository, reading: repository == content)
                        return (r * sources.count + s, held ? nil : "\(source.platform) \(Digest.short(source.digest)) is not in \(repository.name)")
                    }
                }
            }
            var absent: [(Int, String)] = []
            for try await (i, problem) in group { if let problem { absent.append((i, problem)) } }
            return absent.sorted { $0.0 < $1.0 }.map(\.1)
        }
        guard problems.isEmpty, absent.isEmpty else { throw PreflightError(problems: problems + absent, digestsAbsent: !absent.isEmpty) }
        return expected.filter { counts[$0] != nil }
    }

    /// Whether `repository` holds the manifest `digest`: read whole when `reading`, else HEAD.
    private func holds(_ digest: String, in repository: ImageReference, reading: Bool) async throws -> Bool {
        guard reading else { return try await client.resolve(repository.with(digest: digest)) != nil }
        do {
            _ = try await client.manifest(repository.with(digest: digest))
            return true
        } catch let error as RegistryError where error.kind == .notFound {
            return false
        }
    }
}

/// Why publishing did not start; nothing was written.
public struct PreflightError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    /// Whether some registry lacks a digest (one that holds it can copy it there).
    public var digestsAbsent: Bool

    public init(problems: [String], digestsAbsent: Bool = false) {
        self.problems = problems
        self.digestsAbsent = digestsAbsent
    }

    public var description: String {
        "nothing was published:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
