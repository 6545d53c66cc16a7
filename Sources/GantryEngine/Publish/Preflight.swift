/// Checks before anything is published: every platform has a digest (or is named
/// by `--allow-partial`), every digest exists in every target registry, no platform
/// appears twice.
public struct Preflight: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The platforms that will be published, after the checks.
    public func check(
        sources: [PlatformSource], expected: [Platform], allowPartial: Set<Platform>,
        repositories: [ImageReference]
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
        for repository in repositories {
            for source in sources {
                if try await client.resolve(repository.with(digest: source.digest)) == nil {
                    problems.append("\(source.platform) \(Digest.short(source.digest)) is not in \(repository.name)")
                }
            }
        }
        guard problems.isEmpty else { throw PreflightError(problems: problems) }
        return expected.filter { counts[$0] != nil }
    }
}

/// Why publishing did not start; nothing was written.
public struct PreflightError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String {
        "nothing was published:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
