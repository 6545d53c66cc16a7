/// Something wrong with what a tag points to.
public struct Finding: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of findings; the raw values are the stable names used in JSON.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// An expected platform is not in the index.
        case missingPlatform = "missing-platform"
        /// The index has a platform that was not expected.
        case extraPlatform = "extra-platform"
        /// Two index entries for one platform (what `imagetools create --append` leaves behind).
        case duplicatePlatform = "duplicate-platform"
        /// An index entry whose platform is not the one its image config names.
        case platformMismatch = "platform-mismatch"
        /// The same tag points to different digests in different registries.
        case drift
        /// The tag does not exist.
        case tagMissing = "tag-missing"
        /// A single-platform manifest where an index is expected.
        case notAnIndex = "not-an-index"
        /// The registry could not be asked (auth, network, a broken answer).
        case unreachable
        /// Signatures are required and the tag's digest has none.
        case unsigned
        /// A signature of the tag's digest claims another digest or does not verify with the key.
        case badSignature = "bad-signature"
        /// An artifact listed as a release record of the digest is not one (or is gone).
        case badRecord = "bad-record"
    }

    public var kind: Kind
    public var message: String
    /// The platform concerned, for platform findings (`linux/arm/v7`).
    public var platform: String?

    public init(_ kind: Kind, _ message: String, platform: String? = nil) {
        self.kind = kind
        self.message = message
        self.platform = platform
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
