/// Something an audit needed and could not read. The tag itself was read, but its verdict
/// is incomplete: the audit exits 2 and never says "no findings".
public struct AuditGap: Codable, Sendable, Hashable, CustomStringConvertible {
    /// What could not be checked; the raw values are the stable names used in JSON.
    public enum Check: String, Codable, Sendable, Hashable {
        /// The repository's release tags, which say whether a single manifest should be an index.
        case releaseTags = "release-tags"
        /// The image configs of an index's platform images, which say whether the index tells their platforms truly.
        case platformConfigs = "platform-configs"
    }

    public var check: Check
    /// Why: the error's kind (`registry.server`) and message.
    public var error: RecordedError

    public init(_ check: Check, _ error: any Error) {
        self.check = check
        self.error = RecordedError(error)
    }

    public var description: String {
        switch check {
        case .releaseTags: "could not read the release tags to compare with (\(error.kind)): \(error.message)"
        case .platformConfigs: "could not read the image configs to check the index's platforms against (\(error.kind)): \(error.message)"
        }
    }
}
