/// The versions a next release is likely to be, from the tags a repository has: after
/// 1.4.2, the next patch, minor and major and a first release candidate of the next minor;
/// after 1.5.0-rc.1, 1.5.0 and the next candidate.
public enum VersionSuggestions {
    /// The newest semver tag among `tags` (a leading `v` allowed), if any.
    public static func newest(in tags: [String]) -> SemanticVersion? {
        tags.compactMap { try? SemanticVersion.parse($0) }.max()
    }

    /// Suggestions after `newest` (nil: a first release).
    public static func after(_ newest: SemanticVersion?) -> [SemanticVersion] {
        guard let v = newest else { return [SemanticVersion(major: 0, minor: 1, patch: 0), SemanticVersion(major: 1, minor: 0, patch: 0)] }
        if v.isPrerelease {
            var next = v.prerelease
            if let last = next.last, let n = Int(last) { next[next.count - 1] = String(n + 1) } else { next.append("1") }
            return [SemanticVersion(major: v.major, minor: v.minor, patch: v.patch),
                    SemanticVersion(major: v.major, minor: v.minor, patch: v.patch, prerelease: next)]
        }
        return [
            SemanticVersion(major: v.major, minor: v.minor, patch: v.patch + 1),
            SemanticVersion(major: v.major, minor: v.minor + 1, patch: 0),
            SemanticVersion(major: v.major + 1, minor: 0, patch: 0),
            SemanticVersion(major: v.major, minor: v.minor + 1, patch: 0, prerelease: ["rc", "1"]),
        ]
    }
}
