import Foundation

/// A multi-platform index (OCI image index or Docker manifest list).
public struct ImageIndex: Codable, Sendable, Hashable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociIndex, artifactType: String? = nil,
        manifests: [Descriptor], subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }
}

/// A single-platform image manifest (OCI or Docker v2 schema 2), or an artifact manifest.
public struct ImageManifest: Codable, Sendable, Hashable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociManifest, artifactType: String? = nil,
        config: Descriptor, layers: [Descriptor], subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }
}

/// A parsed manifest: an index of platforms or one image.
public enum ManifestContent: Sendable, Hashable {
    case index(ImageIndex)
    case image(ImageManifest)

    /// Parses `bytes` as the manifest kind `mediaType` names; when the media type is not
    /// a manifest type (some registries answer `application/json`), the body decides.
    static func parse(_ bytes: Data, mediaType: String) throws -> ManifestContent {
        let decoder = JSONDecoder()
        do {
            if MediaType.isIndex(mediaType) { return .index(try decoder.decode(ImageIndex.self, from: bytes)) }
            if MediaType.isManifest(mediaType) { return .image(try decoder.decode(ImageManifest.self, from: bytes)) }
            if let index = try? decoder.decode(ImageIndex.self, from: bytes) { return .index(index) }
            return .image(try decoder.decode(ImageManifest.self, from: bytes))
        } catch {
            throw RegistryError(.invalidResponse, "the manifest (\(mediaType)) is not valid JSON of that type: \(error)")
        }
    }
}

/// A manifest as fetched: its descriptor (digest of the exact bytes), the bytes, and the parsed content.
public struct FetchedManifest: Sendable, Hashable {
    public var descriptor: Descriptor
    public var bytes: Data
    public var content: ManifestContent

    public init(descriptor: Descriptor, bytes: Data, content: ManifestContent) {
        self.descriptor = descriptor
        self.bytes = bytes
        self.content = content
    }

    public var mediaType: String { descriptor.mediaType }
    public var digest: String { descriptor.digest }

    /// The index, when this is one.
    public var index: ImageIndex? {
        if case .index(let index) = content { return index }
        return nil
    }

    /// The image manifest, when this is one.
    public var image: ImageManifest? {
        if case .image(let image) = content { return image }
        return nil
    }

    /// Top-level annotations of either kind.
    public var annotations: [String: String] {
        switch content {
        case .index(let index): index.annotations ?? [:]
        case .image(let image): image.annotations ?? [:]
        }
    }
}
