/// The versions a next release is likely to be, from the tags a repository has: after
/// 1.4.2, the next patch, minor and major and a first release candidate of the next minor;
/// after 1.5.0-rc.1, 1.5.0 and the next candidate. A half-published release comes first, to
/// be finished rather than released over.
public enum VersionSuggestions {
    /// One thing to offer: a new release of a version, or finishing a half-published one.
    public enum Suggestion: Sendable, Equatable {
        case release(SemanticVersion)
        case finish(HalfPublishedRelease)

        public var version: SemanticVersion {
            switch self {
            case .release(let version): return version
            case .finish(let release): return release.version
            }
        }
    }

    /// Suggestions after `newest`, finishing `halfPublished` first (its version is not offered again as a new release).
    public static func after(_ newest: SemanticVersion?, halfPublished: HalfPublishedRelease?) -> [Suggestion] {
        let releases = after(newest).filter { $0 != halfPublished?.version }.map(Suggestion.release)
        return (halfPublished.map { [.finish($0)] } ?? []) + releases
    }

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
