import Foundation

/// What buildx wrote to `--metadata-file`: the pushed digest and its descriptor.
public struct BuildMetadata: Sendable, Equatable {
    /// `containerimage.digest`: a manifest, or an index when attestations are on.
    public var digest: String
    /// The media type from `containerimage.descriptor`.
    public var mediaType: String?
    /// `containerimage.descriptor.platform`, when buildx wrote one.
    public var platform: Platform?

    public init(digest: String, mediaType: String?, platform: Platform? = nil) {
        self.digest = digest
        self.mediaType = mediaType
        self.platform = platform
    }

    /// Whether the pushed digest is an index (manifest plus attestation) rather than a manifest.
    public var isIndex: Bool { mediaType.map(MediaType.isIndex) ?? false }

    /// Reads a build's metadata file, or a bake's (`{"<target>": {...}}`) when `bakeTarget` is set.
    public static func read(_ url: URL, bakeTarget: String? = nil) throws -> BuildMetadata {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BuildMetadataError(file: url.path, reason: "buildx did not write it (\(FileSystemError.reading(url.path, error).reason))")
        }
        return try parse(data, file: url.path, bakeTarget: bakeTarget)
    }

    /// Parses metadata JSON; `file` names it in errors.
    public static func parse(_ data: Data, file: String, bakeTarget: String? = nil) throws -> BuildMetadata {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw BuildMetadataError(file: file, reason: "it is not a JSON object")
        }
        var object = top
        if let bakeTarget, top["containerimage.digest"] == nil {
            guard let target = top[bakeTarget] as? [String: Any] else {
                throw BuildMetadataError(file: file, reason: "it has no entry for bake target \"\(bakeTarget)\"")
            }
            object = target
        }
        if let value = object["containerimage.digest"], !(value is String) {
            throw BuildMetadataError(file: file, reason: "\"containerimage.digest\" has the wrong type: \(JSONType.name(of: value)), expected a string")
        }
        if let value = object["containerimage.descriptor"], !(value is [String: Any]) {
            throw BuildMetadataError(file: file, reason: "\"containerimage.descriptor\" has the wrong type: \(JSONType.name(of: value)), expected an object")
        }
        let descriptor = object["containerimage.descriptor"] as? [String: Any]
        guard let digest = (object["containerimage.digest"] as? String) ?? (descriptor?["digest"] as? String) else {
            throw BuildMetadataError(file: file, reason: "it has no \"containerimage.digest\"")
        }
        guard Digest.isValid(digest) else {
            throw BuildMetadataError(file: file, reason: "\"containerimage.digest\" is \"\(digest)\", not a sha256 digest")
        }
        var platform: Platform?
        if let fields = descriptor?["platform"] as? [String: Any] {
            guard let os = fields["os"] as? String, let architecture = fields["architecture"] as? String else {
                throw BuildMetadataError(file: file, reason: "\"containerimage.descriptor.platform\" has no \"os\" and \"architecture\"")
            }
            platform = Platform(os: os, architecture: architecture, variant: fields["variant"] as? String)
        }
        return BuildMetadata(digest: digest, mediaType: descriptor?["mediaType"] as? String, platform: platform)
    }
}

/// A metadata file that is missing or malformed.
public struct BuildMetadataError: ClassifiedError, Sendable, Equatable {
    public var file: String
    public var reason: String
    public var code: String { "build.metadata" }
    public var description: String { "build metadata \(file): \(reason)" }
}

/// The JSON name of a value `JSONSerialization` produced, for "has the wrong type" messages.
enum JSONType {
    static func name(of value: Any) -> String {
        switch value {
        case is String: "a string"
        case let number as NSNumber: String(cString: number.objCType) == "c" ? "a boolean" : "a number"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case is NSNull: "null"
        default: "\(type(of: value))"
        }
    }
}
