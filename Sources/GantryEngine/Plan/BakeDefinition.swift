import Foundation

/// A Bake file as buildx itself reads it: `docker buildx bake --file F --print TARGET`
/// prints the resolved definition as JSON whether the file is HCL, JSON or compose, so
/// Gantry never parses HCL. The config may leave `platforms` to the Bake target.
public struct BakeDefinition: Sendable, Equatable {
    /// Each target's platforms, as buildx resolved them.
    public var targets: [String: [Platform]]
    /// Each target's tags (a family's Bake group names its images by them).
    public var tags: [String: [String]]
    /// The printed targets in the order the group printed lists them (empty when it lists none).
    public var order: [String]

    public init(targets: [String: [Platform]], tags: [String: [String]] = [:], order: [String] = []) {
        self.targets = targets
        self.tags = tags
        self.order = order
    }

    /// Parses `bake --print` output (`{"group": ..., "target": {name: {platforms: [...]}}}`);
    /// the order is the one of `group` when printed, else of the `default` group.
    public static func parse(_ data: Data, file: String, group: String? = nil) throws(BakeError) -> BakeDefinition {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let targets = top["target"] as? [String: Any] else {
            throw BakeError(file: file, reason: "`docker buildx bake --print` did not print a definition with targets")
        }
        var out: [String: [Platform]] = [:]
        var tags: [String: [String]] = [:]
        for (name, value) in targets {
            let texts = ((value as? [String: Any])?["platforms"] as? [String]) ?? []
            var platforms: [Platform] = []
            for text in texts {
                do { platforms.append(try Platform.parse(text)) } catch {
                    throw BakeError(file: file, reason: "target \"\(name)\": \(error.description)")
                }
            }
            out[name] = platforms
            tags[name] = ((value as? [String: Any])?["tags"] as? [String]) ?? []
        }
        let groups = top["group"] as? [String: Any] ?? [:]
        let listed = [group, "default"].compactMap { $0.flatMap { (groups[$0] as? [String: Any])?["targets"] as? [String] } }.first ?? []
        return BakeDefinition(targets: out, tags: tags, order: listed.filter { out[$0] != nil })
    }

    /// Runs `docker buildx bake --file FILE --print TARGET` and parses what it prints.
    public static func read(
        file: String, target: String, docker: String = "docker", environment: [String: String] = [:]
    ) async throws -> BakeDefinition {
        var stdout: [UInt8] = []
        var stderr: [String] = []
        let exit = try await ChildProcess(docker, ["buildx", "bake", "--file", file, "--print", target], environment: environment).run { line in
            switch line.stream {
            case .stdout: stdout += line.bytes + [10]
            case .stderr: stderr.append(line.text)
            }
        }
        guard exit.succeeded else {
            throw BakeError(file: file, reason: "`docker buildx bake --print \(target)` \(exit): \(stderr.suffix(5).joined(separator: "\n"))")
        }
        return try parse(Data(stdout), file: file, group: target)
    }
}

extension ReleaseConfig {
    /// The config with its platforms filled from the Bake target when it leaves them out;
    /// the config itself when it lists them.
    public func resolvingBakePlatforms(docker: String = "docker", environment: [String: String] = [:]) async throws -> ReleaseConfig {
        guard takesPlatformsFromBake, let bake = build.bake else { return self }
        let file = resolvePath(bake.file)
        let definition = try await BakeDefinition.read(file: file, target: bake.target, docker: docker, environment: environment)
        guard let platforms = definition.targets[bake.target] else {
            throw BakeError(file: file, reason: "no target \"\(bake.target)\" (build.bake.target in \(source)); targets: \(definition.targets.keys.sorted().joined(separator: ", "))")
        }
        guard !platforms.isEmpty else {
            throw BakeError(file: file, reason: "target \"\(bake.target)\" lists no platforms; give them there or under platforms in \(source)")
        }
        var config = self
        config.platforms = platforms.map { PlatformTarget(platform: $0) }
        return config
    }
}

/// A Bake file whose definition cannot give the release's platforms.
public struct BakeError: ClassifiedError, Sendable, Equatable {
    public var file: String
    public var reason: String
    public var code: String { "config.bake" }
    public var description: String { "\(file): \(reason)" }
}
