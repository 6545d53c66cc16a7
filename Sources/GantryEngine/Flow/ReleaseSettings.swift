import Foundation

/// Every setting a release runs with, journaled when it starts so that a resume runs
/// strictly from them instead of guessing again from whatever is installed now.
public struct ReleaseSettings: Codable, Sendable, Equatable {
    /// The config's absolute path, so a resume works from any folder.
    public var configPath: String
    /// `sha256:<hex>` of the config's bytes when the release started.
    public var configDigest: String
    /// The builder and publisher actually chosen (never `auto`).
    public var builder: BuilderChoice
    public var publisher: PublisherChoice
    /// The source revision stamped into the images, when known.
    public var revision: String?
    /// The build context's git work tree had uncommitted changes when the release started:
    /// `revision` does not name all of what was built (nil: not a git work tree, or unknown).
    public var workTreeDirty: Bool?
    /// Platforms that may be left out of the index (`--allow-partial`).
    public var allowPartial: [Platform]
    /// Moving tags may move to a lower version (`--allow-downgrade`).
    public var allowDowngrade: Bool
    /// Full-version tags may get other bytes than they hold (`--allow-version-rewrite`); nil
    /// in journals of a Gantry without the option.
    public var allowVersionRewrite: Bool?
    public var attestations: AttestationPolicy
    /// Stop the other builds when one fails (`--fail-fast`).
    public var failFast: Bool
    /// The Gantry that started the release.
    public var gantryVersion: String
    /// The annotations of the index it publishes (`IndexAnnotations`), fixed when it starts so
    /// that a resume composes the same index; nil in journals of a Gantry without them.
    public var annotations: [String: String]?

    public init(
        configPath: String, configDigest: String, builder: BuilderChoice, publisher: PublisherChoice, revision: String?,
        allowPartial: [Platform], allowDowngrade: Bool, attestations: AttestationPolicy, failFast: Bool,
        annotations: [String: String] = [:], workTreeDirty: Bool? = nil, allowVersionRewrite: Bool = false,
        gantryVersion: String = GantryVersion.current
    ) {
        self.workTreeDirty = workTreeDirty
        self.allowVersionRewrite = allowVersionRewrite
        self.configPath = configPath
        self.configDigest = configDigest
        self.builder = builder
        self.publisher = publisher
        self.revision = revision
        self.allowPartial = allowPartial
        self.allowDowngrade = allowDowngrade
        self.attestations = attestations
        self.failFast = failFast
        self.gantryVersion = gantryVersion
        self.annotations = annotations
    }

    /// The absolute path and content digest of the config file at `path`.
    public static func fingerprint(ofConfigAt path: String) throws -> (path: String, digest: String) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        do {
            return (url.path, ContentDigest.sha256(try Data(contentsOf: url)))
        } catch {
            throw FlowError(.configUnreadable, "cannot read the release config \(url.path): \(FileSystemError.reading(url.path, error).reason)")
        }
    }
}
