/// What a tag rule needs of a version: whether it is a prerelease, whether its major is
/// 0, and the text each placeholder becomes. A concrete version gives its numbers; a CI
/// workflow gives shell variables that hold them at run time, so both expand the rules
/// through the same code.
public struct TagValues: Sendable, Equatable {
    public var isPrerelease: Bool
    public var majorIsZero: Bool
    /// `{{version}}` (tag-safe), `{{major}}`, `{{minor}}`, `{{patch}}`.
    public var version: String
    public var major: String
    public var minor: String
    public var patch: String

    public init(isPrerelease: Bool, majorIsZero: Bool, version: String, major: String, minor: String, patch: String) {
        self.isPrerelease = isPrerelease
        self.majorIsZero = majorIsZero
        self.version = version
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The values of a concrete version.
    public init(_ version: SemanticVersion) {
        self.init(
            isPrerelease: version.isPrerelease, majorIsZero: version.major == 0, version: TagRule.tagSafe(version),
            major: String(version.major), minor: String(version.minor), patch: String(version.patch))
    }

    /// The text of placeholder `name`, nil for an unknown one.
    func value(of name: String) -> String? {
        switch name {
        case "version": version
        case "major": major
        case "minor": minor
        case "patch": patch
        default: nil
        }
    }
}
