import Foundation

/// Turns what CI jobs leave behind into publishing sources: buildx metadata files
/// (`--metadata-file` of `build` or `bake`), or the recipe's digest files (empty files
/// named by the digest's hex). The platform comes from the descriptor buildx wrote or,
/// when absent (always, for digest files), from the image config in the registry.
public struct MetadataImport: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// One source per build (per bake target) in `files`; platforms missing from the
    /// files are read from `repository`, where the digests must already be.
    public func sources(files: [URL], repository: ImageReference) async throws -> [PlatformSource] {
        var sources: [PlatformSource] = []
        for file in files {
            for (target, metadata) in try Self.entries(file) {
                let platform: Platform
                if let known = metadata.platform {
                    platform = known
                } else {
                    platform = try await registryPlatform(metadata.digest, in: repository, file: file.path, target: target)
                }
                sources.append(PlatformSource(platform: platform, digest: metadata.digest))
            }
        }
        return sources
    }

    /// The builds of one file: a build file is one entry (target nil); a bake file has
    /// one per target (top-level `buildx.*` keys such as `buildx.build.warnings` are not targets).
    public static func entries(_ file: URL) throws -> [(target: String?, metadata: BuildMetadata)] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw BuildMetadataError(file: file.path, reason: "cannot be read: \(FileSystemError.reading(file.path, error).reason)")
        }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw BuildMetadataError(file: file.path, reason: "it is not a JSON object")
        }
        if top["containerimage.digest"] != nil || top["containerimage.descriptor"] != nil {
            return [(nil, try BuildMetadata.parse(data, file: file.path))]
        }
        let targets = top.filter { !$0.key.hasPrefix("buildx.") && $0.value is [String: Any] }.keys.sorted()
        guard !targets.isEmpty else {
            throw BuildMetadataError(file: file.path, reason: "it has no \"containerimage.digest\" and no bake target holding one")
        }
        return try targets.map { target in
            do { return (target, try BuildMetadata.parse(data, file: file.path, bakeTarget: target)) } catch let error as BuildMetadataError {
                throw BuildMetadataError(file: file.path, reason: "bake target \"\(target)\": \(error.reason)")
            }
        }
    }

    /// The platform of `digest` in `repository`, for an entry whose file does not name it.
    private func registryPlatform(_ digest: String, in repository: ImageReference, file: String, target: String?) async throws -> Platform {
        do {
            return try await RegistryPlatform(client: client).platform(of: digest, in: repository)
        } catch let failure as RegistryPlatform.Failure {
            let place = target.map { "bake target \"\($0)\": " } ?? ""
            throw BuildMetadataError(file: file, reason: place + "no \"containerimage.descriptor.platform\", and \(Digest.short(digest)) in \(repository.name) \(failure.reason)")
        }
    }
}

extension PlatformSource {
    /// Parses `--digest os/arch[/variant]=sha256:<hex>`.
    public static func parse(_ argument: String) throws -> PlatformSource {
        guard let equals = argument.firstIndex(of: "=") else {
            throw DigestArgumentError(argument: argument, reason: "expected os/arch[/variant]=sha256:<64 hex digits>")
        }
        let platformText = String(argument[..<equals])
        let digest = String(argument[argument.index(after: equals)...])
        let platform: Platform
        do { platform = try Platform.parse(platformText) } catch {
            throw DigestArgumentError(argument: argument, reason: error.description)
        }
        guard Digest.isValid(digest) else {
            throw DigestArgumentError(argument: argument, reason: "\"\(digest)\" is not a sha256 digest (sha256:<64 lowercase hex digits>)")
        }
        return PlatformSource(platform: platform, digest: digest)
    }
}

/// A `--digest` argument that cannot be used.
public struct DigestArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var argument: String
    public var reason: String
    public var description: String { "--digest \(argument): \(reason)" }
}
