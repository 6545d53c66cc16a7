import Foundation

/// Where the platforms of a publish come from when no Gantry build made them: buildx
/// metadata files, or CI digests (folders walked into subfolders, or files named by digest).
/// `gantry publish --from-metadata/--from-digests` and the console's "publish digests" read
/// them the same way.
public enum PlatformSourceImport: Sendable, Hashable {
    case metadataFiles([URL])
    case digests([URL])

    /// What a list of paths typed in the console is: metadata when every one is a `.json`
    /// file, digests otherwise.
    public static func guessing(_ paths: [URL]) -> PlatformSourceImport {
        paths.allSatisfy { $0.pathExtension == "json" } ? .metadataFiles(paths) : .digests(paths)
    }

    /// The platforms and digests, read from the files and the configured registries.
    public func sources(config: ReleaseConfig, client: RegistryClient) async throws -> [PlatformSource] {
        switch self {
        case .metadataFiles(let files):
            // Metadata names digests, not registries: they are looked up in the first one.
            guard let repository = config.repositories.first else { throw DigestFileError(file: config.source, reason: "names no registry") }
            return try await MetadataImport(client: client).sources(files: files, repository: repository)
        case .digests(let paths):
            return try await DigestFolderImport(client: client).sources(paths: paths, repositories: config.repositories)
        }
    }
}
