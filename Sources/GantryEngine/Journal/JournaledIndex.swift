import Foundation

/// The index a release confirmed: its digest and, when Gantry composed it, its exact bytes.
/// Every later publication of the release (a resume, `gantry publish ID`, a repair) pushes
/// this index, so a version's bytes never change without the user asking.
public struct JournaledIndex: Codable, Sendable, Equatable {
    public var digest: String
    public var mediaType: String
    /// The bytes: composed by Gantry (the native publisher), or read back once imagetools
    /// wrote and verified them; nil for a promoted index, which is copied by digest.
    public var bytes: Data?

    public init(digest: String, mediaType: String = MediaType.ociIndex, bytes: Data? = nil) {
        self.digest = digest
        self.mediaType = mediaType
        self.bytes = bytes
    }

    public init(_ composed: ComposedIndex) {
        self.init(digest: composed.digest, bytes: composed.bytes)
    }
}
