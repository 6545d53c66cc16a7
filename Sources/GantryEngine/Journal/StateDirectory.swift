import Foundation

/// Where Gantry keeps release state: `--state-dir`, else `$XDG_STATE_HOME/gantry`,
/// else `~/.local/state/gantry`.
public struct StateDirectory: Sendable, Equatable {
    public var root: URL

    public init(root: URL) { self.root = root }

    /// Resolves the state folder from an explicit path and the environment.
    public init(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit, !explicit.isEmpty {
            root = URL(fileURLWithPath: explicit, isDirectory: true)
        } else if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            root = URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("gantry")
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            root = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/state/gantry")
        }
    }

    /// The folder of one release.
    public func release(_ id: ReleaseID) -> ReleaseFolder {
        ReleaseFolder(url: root.appendingPathComponent("releases").appendingPathComponent(id.rawValue))
    }

    /// buildah's storage for one platform, kept across releases as a build cache.
    public func buildahStorage(for platform: Platform) -> URL {
        root.appendingPathComponent("buildah").appendingPathComponent(platform.slug)
    }

    /// The lock a publisher holds while it writes `repository`: two Gantry processes on
    /// one machine never publish the same repository at once.
    public func publishLock(for repository: ImageReference) -> URL {
        let name = repository.name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return root.appendingPathComponent("locks").appendingPathComponent(String(name) + ".lock")
    }

    /// Every release folder, newest first.
    /// A state folder that does not exist yet has none; one that cannot be read is an error
    /// (never "no releases").
    public func releases() throws -> [ReleaseFolder] {
        let dir = root.appendingPathComponent("releases")
        try checkReadable()
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw FileSystemError.folder(dir.path, error)
        }
        return names.sorted(by: >).map { ReleaseFolder(url: dir.appendingPathComponent($0)) }
    }

    /// Throws when the state folder (or its `releases` folder) exists but cannot be used.
    public func checkReadable() throws {
        for folder in [root, root.appendingPathComponent("releases")] {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else { throw FileSystemError(path: folder.path, reason: "is a file, not a folder (the state folder: --state-dir)") }
                guard access(folder.path, R_OK | X_OK) == 0 else { throw FileSystemError(path: folder.path, reason: "cannot be read: \(String(cString: strerror(errno)))") }
            } else if let blocking = Self.fileOnTheWay(to: folder) {
                throw FileSystemError(path: folder.path, reason: "\(blocking) is a file, not a folder (the state folder: --state-dir)")
            }
        }
    }

    /// The first ancestor of `url` that exists as a file, where a folder is needed.
    private static func fileOnTheWay(to url: URL) -> String? {
        var ancestor = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        while ancestor.path != "/" {
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                return isFolder.boolValue ? nil : ancestor.path
            }
            ancestor.deleteLastPathComponent()
        }
        return nil
    }
}

/// The files of one release inside the state folder.
public struct ReleaseFolder: Sendable, Equatable {
    public var url: URL

    public var id: ReleaseID { ReleaseID(unchecked: url.lastPathComponent) }
    /// The state folder this release lives in.
    public var state: StateDirectory { StateDirectory(root: url.deletingLastPathComponent().deletingLastPathComponent()) }
    /// buildx `--metadata-file` of one platform.
    public func metadataFile(for platform: Platform) -> URL {
        url.appendingPathComponent("metadata").appendingPathComponent("\(platform.slug).json")
    }
    /// OCI layout a buildah build is exported to before it is pushed by digest.
    public func ociLayout(for platform: Platform) -> URL {
        url.appendingPathComponent("oci").appendingPathComponent(platform.slug)
    }
    /// The release journal.
    public var journal: URL { url.appendingPathComponent("journal.json") }
    /// Held (`flock`) by the process running the release.
    public var lock: URL { url.appendingPathComponent("lock") }

    /// Removes temporary files a crash left behind mid-write (only while holding `lock`:
    /// a running writer's temporary file is never touched).
    public func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
    }
}

/// A release's id: `<image name>-<version>-<UTC time>`, sortable by time within a version.
/// It names a folder of the state folder, so every id is one path component of Gantry's
/// own alphabet: an id typed or read from a file is checked before any path is made of it.
public struct ReleaseID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public private(set) var rawValue: String

    /// `text` as an id; throws when it is not one Gantry could have made.
    public init(_ text: String) throws(ReleaseIDError) {
        guard Self.isValid(text) else { throw ReleaseIDError(id: text) }
        rawValue = text
    }

    /// An id made by Gantry, or the name of a folder listed in the state folder.
    init(unchecked text: String) { rawValue = text }

    public var description: String { rawValue }

    /// 1 to 255 letters, digits, `.`, `_` and `-`, starting with a letter or digit: what
    /// image names, versions and times make, and never `..` or a `/`.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func allowed(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        guard let first = bytes.first, (1...255).contains(bytes.count), allowed(first), first != 0x2E, first != 0x5F, first != 0x2D else { return false }
        return bytes.allSatisfy(allowed)
    }
    public static func < (a: ReleaseID, b: ReleaseID) -> Bool { a.rawValue < b.rawValue }

    /// A new id for releasing `version` of `image` at `date`. Long names and versions are
    /// shortened (with a hash of the whole) so the id is a folder name on every filesystem.
    public static func make(image: String, version: SemanticVersion, date: Date = Date()) -> ReleaseID {
        let name = image.split(separator: "/").last.map(String.init) ?? image
        return ReleaseID(unchecked: "\(shortened(name))-\(shortened(TagRule.tagSafe(version)))-\(timestamp(date))")
    }

    /// `text`, or its first 40 characters and 12 hex digits of its hash when it is longer than 64.
    private static func shortened(_ text: String) -> String {
        guard text.utf8.count > 64 else { return text }
        let hash = ContentDigest.sha256(Data(text.utf8)).dropFirst("sha256:".count).prefix(12)
        return "\(text.prefix(40))-\(hash)"
    }

    /// The UTC time part of ids (`20261128T225006Z`).
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.isValid(text) else { throw DecodingError.dataCorruptedError(in: container, debugDescription: ReleaseIDError(id: text).description) }
        rawValue = text
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A release id that is not one (`gantry resume ../../etc`, a journal's `id` field naming
/// another folder): refused before any path is made of it.
public struct ReleaseIDError: ClassifiedError, Sendable, Equatable {
    public var id: String

    public var code: String { "journal.badID" }
    public var description: String {
        "\"\(id)\" is not a release id (one name of letters, digits, '.', '_' and '-', starting with a letter or digit; see `gantry journal list`)"
    }
}
