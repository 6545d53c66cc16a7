import Foundation

/// How a flow's publications are recorded, from its config and its environment: the key
/// that signs (`sign:`), whether a record is required (`require: {record: true}`), who
/// publishes and the git tag of the revision.
public struct RecordPolicy: Sendable, Equatable {
    public var key: SigningKey?
    public var required: Bool
    public var author: RecordAuthor
    public var gitTag: String?

    public init(key: SigningKey? = nil, required: Bool = false, author: RecordAuthor = .current(), gitTag: String? = nil) {
        self.key = key
        self.required = required
        self.author = author
        self.gitTag = gitTag
    }

    /// The policy of `config`: loads its signing key (a key that cannot be loaded is an
    /// error before anything is built or published).
    public static func of(_ config: ReleaseConfig, environment: [String: String] = ProcessInfo.processInfo.environment) async throws(SigningKeyError) -> RecordPolicy {
        let key = try config.signing.map { spec throws(SigningKeyError) in
            try SigningKey.load(spec.resolved(relativeTo: config.source), environment: environment)
        }
        return RecordPolicy(
            key: key, required: config.requirements.record, author: .current(environment: environment),
            gitTag: await SourceRevision.gitTag(for: config, environment: environment))
    }
}

extension SigningSpec {
    /// A relative key path, against the folder of the config at `configPath`.
    func resolved(relativeTo configPath: String) -> SigningSpec {
        guard case .file(let path) = self, !path.hasPrefix("/") else { return self }
        return .file(URL(fileURLWithPath: configPath).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path)
    }
}
