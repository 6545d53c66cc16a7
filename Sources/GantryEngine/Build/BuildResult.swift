/// What one platform's successful build produced.
public struct BuildResult: Sendable, Codable, Equatable {
    public var platform: Platform
    /// The platform's image manifest digest: what an index of the release points at.
    public var manifestDigest: String
    /// The digest the builder pushed when it differs from the manifest: buildx pushes an
    /// index holding the manifest and its attestation when attestations are on.
    public var pushedIndexDigest: String?
    /// The attestation manifest describing `manifestDigest`, when one was built.
    public var attestationDigest: String?
    /// Whether each repository (`host/path`) holds the manifest, checked after the push.
    public var presence: [String: Bool]

    public init(
        platform: Platform, manifestDigest: String, pushedIndexDigest: String? = nil,
        attestationDigest: String? = nil, presence: [String: Bool] = [:]
    ) {
        self.platform = platform
        self.manifestDigest = manifestDigest
        self.pushedIndexDigest = pushedIndexDigest
        self.attestationDigest = attestationDigest
        self.presence = presence
    }

    /// The digest an index of the release points at for this platform: what the builder pushed.
    public var publishedDigest: String { pushedIndexDigest ?? manifestDigest }
}

/// Why one platform's build failed: the failing step and the last lines of its log.
public struct BuildFailure: ClassifiedError, Sendable, Codable, Equatable {
    public var platform: Platform
    public var step: BuildStep?
    public var message: String
    /// The last log lines (at most `BuildFailure.logLineCount`).
    public var recentLog: [String]

    public static let logLineCount = 20

    public var code: String { "build.failed" }

    public init(platform: Platform, step: BuildStep?, message: String, recentLog: [String]) {
        self.platform = platform
        self.step = step
        self.message = message
        self.recentLog = recentLog
    }

    public var description: String {
        var text = "\(platform) failed"
        if let step { text += " at step \(step.label)" }
        text += ": \(message)"
        return text
    }
}

/// How one platform's build ended.
public enum BuildOutcome: Sendable, Equatable {
    case succeeded(BuildResult)
    case failed(BuildFailure)
    case cancelled

    public var result: BuildResult? {
        if case .succeeded(let result) = self { return result }
        return nil
    }
}
