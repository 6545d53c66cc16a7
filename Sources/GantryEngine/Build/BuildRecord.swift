import Foundation

/// The digests a release's builds produced, per platform and per repository, kept in
/// the release folder (`builds.json`) until publishing journals them.
public struct BuildRecord: Sendable, Codable, Equatable {
    public var releaseID: String
    public var image: String
    public var version: String
    public var builder: String
    public var platforms: [String: PlatformEntry]

    /// One platform's latest outcome.
    public struct PlatformEntry: Sendable, Codable, Equatable {
        /// `succeeded`, `failed` or `cancelled`.
        public var status: String
        public var manifestDigest: String?
        public var pushedIndexDigest: String?
        public var attestationDigest: String?
        /// repository (`host/path`) → the manifest digest it holds.
        public var registries: [String: String]
        public var error: String?
    }

    public init(releaseID: String, image: String, version: String, builder: String, platforms: [String: PlatformEntry] = [:]) {
        self.releaseID = releaseID
        self.image = image
        self.version = version
        self.builder = builder
        self.platforms = platforms
    }

    /// Records how `platform`'s build ended.
    public mutating func record(_ platform: Platform, _ outcome: BuildOutcome) {
        switch outcome {
        case .succeeded(let result):
            platforms[platform.description] = PlatformEntry(
                status: "succeeded", manifestDigest: result.manifestDigest, pushedIndexDigest: result.pushedIndexDigest,
                attestationDigest: result.attestationDigest,
                registries: result.presence.filter(\.value).mapValues { _ in result.manifestDigest })
        case .failed(let failure):
            platforms[platform.description] = PlatformEntry(status: "failed", registries: [:], error: failure.description)
        case .cancelled:
            platforms[platform.description] = PlatformEntry(status: "cancelled", registries: [:])
        }
    }

    /// The record's file in a release folder.
    public static func file(in folder: ReleaseFolder) -> URL {
        folder.url.appendingPathComponent("builds.json")
    }

    /// Reads the record of a release folder.
    public static func load(from folder: ReleaseFolder) throws -> BuildRecord {
        let url = file(in: folder)
        do {
            return try JSONDecoder().decode(BuildRecord.self, from: Data(contentsOf: url))
        } catch {
            throw BuildRecordError(file: url.path, reason: "\(error)")
        }
    }

    /// The platforms that built, as publishing sources (what was pushed: the per-platform
    /// index when attestations are on, else the manifest).
    public var sources: [PlatformSource] {
        platforms.compactMap { key, entry in
            guard entry.status == "succeeded", let platform = try? Platform.parse(key),
                  let digest = entry.pushedIndexDigest ?? entry.manifestDigest else { return nil }
            return PlatformSource(platform: platform, digest: digest)
        }.sorted { $0.platform < $1.platform }
    }

    /// Writes the record atomically (temporary file, fsync, rename).
    public func save(to folder: ReleaseFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: Self.file(in: folder))
    }
}

/// A build record that cannot be read.
public struct BuildRecordError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "build record \(file): \(reason)" }
}
