/// The actions a generated workflow uses, each pinned to the full commit of a release
/// (a tag can be moved; a commit cannot), with the release named beside it.
public struct PinnedAction: Sendable, Equatable {
    public var name: String
    public var commit: String
    public var release: String

    /// `owner/name@commit`.
    public var reference: String { "\(name)@\(commit)" }

    public static let checkout = PinnedAction(name: "actions/checkout", commit: "3d3c42e5aac5ba805825da76410c181273ba90b1", release: "v7.0.1")
    public static let uploadArtifact = PinnedAction(name: "actions/upload-artifact", commit: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", release: "v7.0.0")
    public static let downloadArtifact = PinnedAction(name: "actions/download-artifact", commit: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", release: "v8.0.1")
    public static let setupQEMU = PinnedAction(name: "docker/setup-qemu-action", commit: "96fe6ef7f33517b61c61be40b68a1882f3264fb8", release: "v4.2.0")
    public static let setupBuildx = PinnedAction(name: "docker/setup-buildx-action", commit: "37fe631027851001ddb9b187196cc803df7f5f0e", release: "v4.3.0")
    public static let login = PinnedAction(name: "docker/login-action", commit: "4907a6ddec9925e35a0a9e82d7399ccc52663121", release: "v4.1.0")

    public static let all = [checkout, uploadArtifact, downloadArtifact, setupQEMU, setupBuildx, login]
}
