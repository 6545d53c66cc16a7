/// Where a digest is among a release's repositories, and the copies that put it in the rest.
public struct DigestPlacement: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The repositories of `repositories` holding `digest`, and those lacking it, in order.
    /// Always asked (HEAD): content can be deleted from a repository since it was seen there.
    /// Every repository is asked at once.
    public func presence(of digest: String, in repositories: [ImageReference]) async throws -> (holding: [ImageReference], lacking: [ImageReference]) {
        let held = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for (i, repository) in repositories.enumerated() {
                group.addTask { (i, try await client.resolve(repository.with(digest: digest), cached: false) != nil) }
            }
            var held = [Bool](repeating: false, count: repositories.count)
            for try await (i, holds) in group { held[i] = holds }
            return held
        }
        return (zip(repositories, held).filter(\.1).map(\.0), zip(repositories, held).filter { !$0.1 }.map(\.0))
    }

    /// Copies `source` (a reference by digest) into every repository of `targets` at once;
    /// `copied` receives each target and report as its copy is done.
    public func copy(
        _ source: ImageReference, to targets: [ImageReference], copied: @Sendable (ImageReference, CopyReport) async throws -> Void
    ) async throws {
        let copier = ImageCopier(client: client)
        try await withThrowingTaskGroup(of: (ImageReference, CopyReport).self) { group in
            for target in targets {
                group.addTask { (target, try await copier.copy(source, to: target)) }
            }
            for try await (target, report) in group { try await copied(target, report) }
        }
    }
}
