import Foundation

/// The buildah command lines of a platform build: the one place that spells them.
public struct BuildahInvocation: Sendable, Equatable {
    /// Options before the subcommand (`--storage-driver vfs`, `--root DIR`).
    public var globalArguments: [String]
    /// `--isolation` for `buildah build`.
    public var isolation: String

    /// vfs storage and chroot isolation work without privileges beyond root and without
    /// fuse-overlayfs, in containers and CI runners alike.
    public init(globalArguments: [String] = ["--storage-driver", "vfs"], isolation: String = "chroot") {
        self.globalArguments = globalArguments
        self.isolation = isolation
    }

    /// The defaults, with `GANTRY_BUILDAH_ARGS` (global options, split on spaces) and
    /// `GANTRY_BUILDAH_ISOLATION` taking precedence when set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> BuildahInvocation {
        var invocation = BuildahInvocation()
        if let args = environment["GANTRY_BUILDAH_ARGS"], !args.trimmingCharacters(in: .whitespaces).isEmpty {
            invocation.globalArguments = args.split(separator: " ").map(String.init)
        }
        if let isolation = environment["GANTRY_BUILDAH_ISOLATION"], !isolation.isEmpty { invocation.isolation = isolation }
        return invocation
    }

    /// This invocation with its own storage under `folder` (unless `--root` was given):
    /// parallel buildah builds sharing one vfs store race when they commit the same
    /// layer ("layer not known"), and each platform pulls its own base image anyway.
    public func storage(in folder: URL) -> BuildahInvocation {
        guard !globalArguments.contains("--root") else { return self }
        var copy = self
        copy.globalArguments += ["--root", folder.appendingPathComponent("storage").path, "--runroot", folder.appendingPathComponent("run").path]
        return copy
    }

    /// The local name of a platform's image before it is exported: short whatever the
    /// version (a tag holds at most 128 characters), unique per release and platform.
    public static func localImage(config: ReleaseConfig, release: ReleaseID, platform: Platform) -> String {
        let unique = ContentDigest.sha256(Data("\(release.rawValue)/\(platform)".utf8)).dropFirst("sha256:".count).prefix(16)
        return "gantry-local/\(config.image):\(platform.slug)-\(unique)"
    }

    /// `buildah build` for one platform, tagged `localImage` in local storage only.
    public func build(config: ReleaseConfig, platform: Platform, version: SemanticVersion, revision: String?, localImage: String) -> [String] {
        var argv = globalArguments + ["build", "--isolation", isolation, "--platform", platform.description]
        if let dockerfile = config.build.dockerfile { argv += ["--file", config.resolvePath(dockerfile)] }
        if let target = config.build.target { argv += ["--target", target] }
        argv += config.build.args.sorted { $0.key < $1.key }.flatMap { ["--build-arg", "\($0.key)=\($0.value)"] }
        argv += BuildxInvocation.labels(config: config, version: version.description, revision: revision).flatMap { ["--label", "\($0.0)=\($0.1)"] }
        argv += ["--tag", localImage, config.resolvePath(config.build.context)]
        return argv
    }

    /// `buildah push` of the local image into an OCI layout (never to a registry tag).
    public func export(localImage: String, layout: URL, digestFile: URL) -> [String] {
        globalArguments + ["push", "--digestfile", digestFile.path, localImage, "oci:\(layout.path):latest"]
    }

    /// `buildah rmi` of the local image once it has been exported.
    public func remove(localImage: String) -> [String] {
        globalArguments + ["rmi", localImage]
    }
}
