import Foundation

/// Builds one platform of a release and pushes it by digest, never by tag.
public protocol BuildDriver: Sendable {
    /// `buildx` or `buildah`, as events and records name it.
    var name: String { get }

    /// Builds `job`, reporting progress through `emit`, and returns the pushed digests.
    /// Throws `BuildDriverError` when the build fails and `CancellationError` when cancelled.
    func build(_ job: BuildJob, emit: @escaping @Sendable (BuildEvent.Kind) -> Void) async throws -> BuildResult
}

/// One platform of one release to build.
public struct BuildJob: Sendable {
    public var config: ReleaseConfig
    public var target: PlatformTarget
    public var version: SemanticVersion
    /// The source revision recorded as a label, when known.
    public var revision: String?
    /// The release's state folder (metadata files, OCI layouts, the build record).
    public var folder: ReleaseFolder

    public init(config: ReleaseConfig, target: PlatformTarget, version: SemanticVersion, revision: String?, folder: ReleaseFolder) {
        self.config = config
        self.target = target
        self.version = version
        self.revision = revision
        self.folder = folder
    }

    public var platform: Platform { target.platform }
}

/// A build that failed: the step it failed at (when known) and why.
public struct BuildDriverError: Error, Sendable, Equatable, CustomStringConvertible {
    public var step: BuildStep?
    public var message: String
    public init(step: BuildStep? = nil, message: String) {
        self.step = step
        self.message = message
    }
    public var description: String { message }
}
