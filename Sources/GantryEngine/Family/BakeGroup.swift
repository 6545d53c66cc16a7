import Foundation

/// `build.bake: {file, group}`: a Bake group as a family, one image per target, read from
/// what `docker buildx bake --print GROUP` resolves (buildx reads HCL, JSON and compose;
/// Gantry only its printed JSON). A target names its image by its first tag's repository;
/// a target without tags is the top-level image when it has the image's last name
/// (`app` for `acme/app`), else the image of that name beside it (`worker`: `acme/worker`).
public struct BakeGroupSpec: Sendable, Equatable, Codable {
    public var file: String
    public var group: String
    public init(file: String, group: String) {
        self.file = file
        self.group = group
    }
}

extension ImageFamily {
    /// The family `written` releases, checked, with every member's platforms: its Bake
    /// group read, and each member's platforms from its Bake target when the config lists none.
    public static func resolving(_ written: ReleaseConfig, docker: String = "docker", environment: [String: String] = [:]) async throws -> ImageFamily {
        var family = try ImageFamily(try await resolvingBakeGroup(written, docker: docker, environment: environment)).checked()
        for i in family.members.indices {
            family.members[i].config = try await family.members[i].config.resolvingBakePlatforms(docker: docker, environment: environment)
        }
        return family
    }

    /// The config with its Bake group made into `images:` (each target's platforms from the
    /// Bake file when the config lists none); the config itself when it names no group.
    public static func resolvingBakeGroup(
        _ config: ReleaseConfig, docker: String = "docker", environment: [String: String] = [:]
    ) async throws -> ReleaseConfig {
        guard let group = config.bakeGroup else { return config }
        let file = config.resolvePath(group.file)
        let printed = try await BakeDefinition.read(file: file, target: group.group, docker: docker, environment: environment)
        let names = printed.order.isEmpty ? printed.targets.keys.sorted() : printed.order
        guard !names.isEmpty else {
            throw BakeError(file: file, reason: "the group \"\(group.group)\" (build.bake.group in \(config.source)) has no targets")
        }
        var resolved = config
        resolved.bakeGroup = nil
        resolved.images = try names.map { name in
            let platforms = printed.targets[name] ?? []
            if config.platforms.isEmpty && platforms.isEmpty {
                throw BakeError(file: file, reason: "target \"\(name)\" lists no platforms; give them there or under platforms in \(config.source)")
            }
            return FamilyImageSpec(
                image: image(of: name, tags: printed.tags[name] ?? [], family: config.image),
                build: BuildOverride(bake: BakeSpec(file: group.file, target: name)),
                platforms: config.platforms.isEmpty ? platforms.map { PlatformTarget(platform: $0) } : nil)
        }
        return resolved
    }

    /// The repository a Bake target builds (see the type's comment).
    static func image(of target: String, tags: [String], family image: String) -> String {
        if let tag = tags.first, let reference = try? ImageReference.parse(tag) { return reference.repository }
        let parts = image.split(separator: "/").map(String.init)
        guard let last = parts.last, last != target else { return image }
        return (parts.dropLast() + [target]).joined(separator: "/")
    }
}
