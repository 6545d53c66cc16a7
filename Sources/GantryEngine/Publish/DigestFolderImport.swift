import Foundation

/// Turns the digests folder of docker's multi-platform CI recipe into publishing sources:
/// each build job leaves an empty file named by its digest (`<hex>` or `sha256:<hex>`), and
/// the merge job downloads them into one folder, or one subfolder per artifact
/// (`digests-linux-amd64/…`). Each digest's platform is read from the registry.
public struct DigestFolderImport: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// One source per digest in `paths` (folders, walked into subfolders, or files named by
    /// a digest), its platform read from the first of `repositories` that holds it (the
    /// publish copies it into the others).
    public func sources(paths: [URL], repositories: [ImageReference]) async throws -> [PlatformSource] {
        var sources: [PlatformSource] = []
        var seen = Set<String>()
        for (file, digest) in try paths.flatMap(Self.digestFiles(in:)) where seen.insert(digest).inserted {
            var holding: ImageReference?
            for repository in repositories where try await client.resolve(repository.with(digest: digest)) != nil {
                holding = repository
                break
            }
            guard let repository = holding else {
                throw DigestFileError(file: file, reason: "\(digest) is in none of \(repositories.map(\.name).joined(separator: ", "))")
            }
            do {
                sources.append(PlatformSource(platform: try await RegistryPlatform(client: client).platform(of: digest, in: repository), digest: digest))
            } catch let failure as RegistryPlatform.Failure {
                throw DigestFileError(file: file, reason: "\(Digest.short(digest)) in \(repository.name) \(failure.reason)")
            }
        }
        return sources
    }

    /// Every file under `folder` and its subfolders (or `folder` itself, a file), in path
    /// order, each named by a digest; a digest found in two places counts once.
    public static func digestFiles(in folder: URL) throws -> [(file: String, digest: String)] {
        try named(files(in: folder), in: folder)
    }

    /// `folder` itself when it is a file, else every regular file under it and its subfolders.
    public static func files(in folder: URL) throws -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
            throw DigestFileError(file: folder.path, reason: "does not exist")
        }
        if !isFolder.boolValue { return [folder] }
        guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw DigestFileError(file: folder.path, reason: "cannot be read")
        }
        var files: [URL] = []
        for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append(url)
        }
        return files
    }

    /// The digests `files` are named by; `place` names where they were found in errors.
    private static func named(_ files: [URL], in place: URL) throws -> [(file: String, digest: String)] {
        var seen = Set<String>()
        var out: [(file: String, digest: String)] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            let name = file.lastPathComponent
            let digest = name.hasPrefix("sha256:") ? name : "sha256:" + name
            guard Digest.isValid(digest) else {
                throw DigestFileError(file: file.path, reason: "\"\(name)\" is not a digest: a digests folder holds files named <64 lowercase hex digits> or sha256:<64 lowercase hex digits>")
            }
            if seen.insert(digest).inserted { out.append((file.path, digest)) }
        }
        guard !out.isEmpty else { throw DigestFileError(file: place.path, reason: "holds no digest files") }
        return out
    }
}

/// A digests folder entry that cannot be used: the file and why.
public struct DigestFileError: ClassifiedError, Sendable, Equatable {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var code: String { "publish.digestFile" }
    public var description: String { "\(file): \(reason)" }
}
