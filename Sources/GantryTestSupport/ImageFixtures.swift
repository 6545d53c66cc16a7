import Foundation

/// Builds tiny `FROM scratch` images with buildah (its own storage folder, so tests can
/// run in parallel) and pushes them to registries on loopback.
public final class ImageFixtures: @unchecked Sendable {
    public let directory: TemporaryDirectory
    /// `user:password` for pushing to registries that need a login.
    private let credentials: String?

    public init(credentials: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: "gantry-images")
        self.credentials = credentials
    }

    /// Removes the buildah storage. It runs from `defer`, so buildah's clean-up runs on a
    /// thread of its own, never on the test's pool.
    public func remove() {
        let (storage, directory) = (storageArguments, directory)
        Thread {
            // Best effort: whatever buildah leaves, the folder's removal below takes.
            _ = try? runQuickTool("buildah", storage + ["rm", "--all"])
            // vfs layers may be read-only; buildah itself knows how to delete them.
            _ = try? runQuickTool("buildah", storage + ["rmi", "--all", "--force"])
            directory.remove()
        }.start()
    }

    /// Builds one image per platform into a local manifest list and returns its name. Every
    /// build carries a unique file, so two builds never share digests; with `layerBytes`, each
    /// platform has its own file of that many random bytes.
    @discardableResult
    public func buildIndex(platforms: [String], labels: [String: String] = [:], layerBytes: Int = 0) async throws -> String {
        let name = "gantry-fixture-\(UUID().uuidString.prefix(8).lowercased())"
        // Sized layers differ per platform (as real builds do); tiny ones are built at once and shared.
        let builds = layerBytes > 0 ? platforms.map { [$0] } : [platforms]
        for group in builds {
            let context = try makeContext(layerBytes: layerBytes)
            try await buildah(["build", "--isolation", "chroot", "--platform", group.joined(separator: ","), "--manifest", name]
                + labels.sorted { $0.key < $1.key }.flatMap { ["--label", "\($0.key)=\($0.value)"] }
                + ["-f", context + "/Containerfile", context])
        }
        return name
    }

    /// Pushes a manifest list and all its images to `reference` (`127.0.0.1:PORT/repo:tag`).
    public func pushIndex(_ list: String, to reference: String) async throws {
        try await buildah(["manifest", "push", "--all", "--tls-verify=false"] + loginArguments + [list, "docker://\(reference)"])
    }

    /// Builds and pushes a multi-platform index in one go.
    public func pushIndex(platforms: [String], labels: [String: String] = [:], layerBytes: Int = 0, to references: [String]) async throws {
        let list = try await buildIndex(platforms: platforms, labels: labels, layerBytes: layerBytes)
        for reference in references { try await pushIndex(list, to: reference) }
    }

    /// Builds one single-platform image and pushes it as a plain manifest to `reference`.
    public func pushImage(platform: String, labels: [String: String] = [:], to reference: String) async throws {
        let name = "gantry-fixture-\(UUID().uuidString.prefix(8).lowercased())"
        let context = try makeContext()
        try await buildah(["build", "--isolation", "chroot", "--platform", platform, "-t", name]
            + labels.sorted { $0.key < $1.key }.flatMap { ["--label", "\($0.key)=\($0.value)"] }
            + ["-f", context + "/Containerfile", context])
        try await buildah(["push", "--tls-verify=false", "--format", "oci"] + loginArguments + [name, "docker://\(reference)"])
    }

    private var loginArguments: [String] { credentials.map { ["--creds", $0] } ?? [] }

    private func makeContext(layerBytes: Int = 0) throws -> String {
        let context = directory.path + "/context-\(UUID().uuidString.prefix(8))"
        try directory.write("\(context.split(separator: "/").last!)/Containerfile", "FROM scratch\nCOPY unique /unique\n")
        try directory.write("\(context.split(separator: "/").last!)/unique", UUID().uuidString)
        if layerBytes > 0 {
            // Random bytes do not compress: the layer is about as big as asked.
            var generator = SystemRandomNumberGenerator()
            let words = (0..<(layerBytes + 7) / 8).map { _ in generator.next() as UInt64 }
            let bytes = words.withUnsafeBytes { Data($0.prefix(layerBytes)) }
            try bytes.write(to: URL(fileURLWithPath: context + "/unique"), options: .atomic)
        }
        return context
    }

    @discardableResult
    private func buildah(_ arguments: [String]) async throws -> String {
        try await runTool("buildah", storageArguments + arguments)
    }

    private var storageArguments: [String] {
        ["--root", directory.path + "/storage", "--runroot", directory.path + "/run", "--storage-driver", "vfs"]
    }
}

/// skopeo as an independent oracle for what a registry serves.
public enum Skopeo {
    /// The raw manifest bytes `reference` resolves to.
    public static func rawManifest(_ reference: String) async throws -> Data {
        Data(try await runTool("skopeo", ["inspect", "--tls-verify=false", "--raw", "docker://\(reference)"]).utf8)
    }

    /// `sha256:<hex>` of the raw manifest: the digest `reference` points to.
    public static func digest(_ reference: String) async throws -> String {
        sha256Digest(try await rawManifest(reference))
    }

    /// The digest of each reference, in order.
    public static func digests(_ references: [String]) async throws -> [String] {
        var digests: [String] = []
        for reference in references { digests.append(try await digest(reference)) }
        return digests
    }
}

/// The index skopeo reads at `reference`, decoded with Foundation only (not the engine's types).
public func skopeoIndexEntries(_ reference: String) async throws -> [[String: Any]] {
    let json = try JSONSerialization.jsonObject(with: await Skopeo.rawManifest(reference)) as? [String: Any]
    return json?["manifests"] as? [[String: Any]] ?? []
}

/// `os/arch[/variant]` of a raw index entry.
public func platformText(_ entry: [String: Any]) -> String {
    let platform = entry["platform"] as? [String: Any] ?? [:]
    return [platform["os"], platform["architecture"], platform["variant"]].compactMap { $0 as? String }.joined(separator: "/")
}

/// The platforms of the index skopeo reads at `reference`, attestations left out, sorted.
public func skopeoPlatforms(_ reference: String) async throws -> [String] {
    try await skopeoIndexEntries(reference).filter { ($0["platform"] as? [String: Any])?["os"] as? String != "unknown" }.map(platformText).sorted()
}
