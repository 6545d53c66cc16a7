/// The platform matrix of a release as a CI strategy matrix: each platform with a file
/// name-safe slug, the GitHub-hosted runner that builds it (a native one where GitHub
/// has it, else an amd64 runner with QEMU), and the named buildx builder, if any.
/// `gantry plan --json` prints it; `gantry ci github` writes it into the workflow.
public struct BuildMatrix: Sendable, Codable, Equatable {
    public var include: [Entry]

    public struct Entry: Sendable, Codable, Equatable {
        public var platform: Platform
        /// `linux-arm-v7`: for artifact and file names.
        public var slug: String
        public var runner: String
        /// The buildx builder the config names for the platform; absent for the default one.
        public var builder: String?
    }

    /// Runners of GitHub's that build a platform natively.
    public static let nativeRunners: [Platform: String] = [
        Platform(os: "linux", architecture: "amd64"): "ubuntu-24.04",
        Platform(os: "linux", architecture: "arm64"): "ubuntu-24.04-arm",
    ]
    /// The runner for every other platform, which it builds under QEMU.
    public static let emulatingRunner = "ubuntu-24.04"

    public init(platforms: [PlatformTarget]) {
        include = platforms.map {
            Entry(platform: $0.platform, slug: $0.platform.slug, runner: Self.nativeRunners[$0.platform] ?? Self.emulatingRunner, builder: $0.builder)
        }
    }

    /// Whether some platform has no native runner and needs QEMU.
    public var needsEmulation: Bool { include.contains { Self.nativeRunners[$0.platform] == nil } }
}
