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
                    let place = target.map { "bake target \"\($0)\": " } ?? ""
                    platform = try await registryPlatform(
                        metadata.digest, in: repository, file: file.path, problem: place + "no \"containerimage.descriptor.platform\", and")
                }
                sources.append(PlatformSource(platform: platform, digest: metadata.digest))
            }
        }
        return sources
    }

    /// One source per digest file under `paths` (each a file named by a digest's 64 hex
    /// digits, or a folder holding such files, as the `digests-*` artifacts of
    /// `gantry ci github` do); the platforms are read from `repository`.
    public func sources(digestPaths paths: [URL], repository: ImageReference) async throws -> [PlatformSource] {
        var sources: [PlatformSource] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
                throw BuildMetadataError(file: path.path, reason: "does not exist")
            }
            let files = isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path.path).sorted().map { path.appendingPathComponent($0) }
                : [path]
            let digests = files.map { "sha256:" + $0.lastPathComponent }.filter(Digest.isValid)
            guard !digests.isEmpty else {
                throw BuildMetadataError(file: path.path, reason: "names no digest: expected a file named by 64 hex digits, or a folder holding one")
            }
            for digest in digests {
                let platform = try await registryPlatform(digest, in: repository, file: path.path, problem: "the digest")
                sources.append(PlatformSource(platform: platform, digest: digest))
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

    /// The platform of `digest`: a manifest's image config, or the single platform
    /// image of an index (buildx pushes a manifest plus its attestation as an index).
    private func registryPlatform(_ digest: String, in repository: ImageReference, file: String, problem: String) async throws -> Platform {
        func failure(_ reason: String) -> BuildMetadataError {
            BuildMetadataError(file: file, reason: "\(problem) \(Digest.short(digest)) in \(repository.name) \(reason)")
        }
        let fetched: FetchedManifest
        do { fetched = try await client.manifest(repository.with(digest: digest)) } catch {
            throw failure("cannot be read: \(error)")
        }
        var manifest: ImageManifest
        switch fetched.content {
        case .image(let image):
            manifest = image
        case .index(let index):
            let images = index.manifests.filter { !$0.isAttestation }
            guard images.count == 1, let image = images.first else {
                throw failure("is an index of \(images.count) platform images, not one build")
            }
            if let platform = image.platform?.platform { return platform }
            guard let inner = try await client.manifest(repository.with(digest: image.digest)).image else {
                throw failure("holds \(Digest.short(image.digest)), which is not an image manifest")
            }
            manifest = inner
        }
        guard let platform = try await client.imageConfig(repository, manifest: manifest).platform?.platform else {
            throw failure("has no os/architecture in its image config")
        }
        return platform
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
