import CGantryBuild

/// Gantry's own version, and the commit the binary was built from when the build said so.
public enum GantryVersion {
    public static let current = "0.1.0"

    /// The commit `scripts/install.sh` built from; nil for other builds (`swift build`).
    public static let commit: String? = {
        let commit = String(cString: gantry_build_commit())
        return commit.isEmpty ? nil : commit
    }()

    /// What `gantry --version` prints: `0.1.0 (commit 1a2b3c4d…)`.
    public static var description: String {
        "\(current) (commit \(commit ?? "unknown: built without scripts/install.sh"))"
    }
}
