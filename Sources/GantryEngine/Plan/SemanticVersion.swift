/// A semantic version (semver 2.0), accepting and stripping a leading `v`.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible, ParsedStringCodable {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// Dot-separated prerelease identifiers (`rc.1`), empty for a release.
    public var prerelease: [String]
    /// Build metadata (`+build.5`), ignored for ordering.
    public var build: [String]

    public init(major: Int, minor: Int, patch: Int, prerelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build.joined(separator: ".") }
        return s
    }

    /// Parses `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build.7`.
    public static func parse(_ text: String) throws(VersionError) -> SemanticVersion {
        var s = Substring(text)
        if s.first == "v" || s.first == "V" { s = s.dropFirst() }
        var build: [String] = []
        if let plus = s.firstIndex(of: "+") {
            build = s[s.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            s = s[..<plus]
            guard build.allSatisfy(isIdentifier) else {
                throw VersionError(input: text, reason: "build metadata must be dot-separated [0-9A-Za-z-] identifiers")
            }
        }
        var pre: [String] = []
        if let dash = s.firstIndex(of: "-") {
            pre = s[s.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            s = s[..<dash]
            guard pre.allSatisfy(isIdentifier) else {
                throw VersionError(input: text, reason: "the prerelease must be dot-separated [0-9A-Za-z-] identifiers, such as rc.1")
            }
            if let bad = pre.first(where: { $0.count > 1 && $0.hasPrefix("0") && $0.allSatisfy(\.isNumber) }) {
                throw VersionError(input: text, reason: "numeric prerelease identifier \"\(bad)\" has a leading zero")
            }
        }
        let core = s.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else {
            throw VersionError(input: text, reason: "expected MAJOR.MINOR.PATCH, such as 3.14.1 or 3.15.0-rc.1")
        }
        var numbers: [Int] = []
        for part in core {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber), let n = Int(part) else {
                throw VersionError(input: text, reason: "\"\(part)\" is not a number; expected MAJOR.MINOR.PATCH")
            }
            guard part == "0" || !part.hasPrefix("0") else {
                throw VersionError(input: text, reason: "\"\(part)\" has a leading zero")
            }
            numbers.append(n)
        }
        return SemanticVersion(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: pre, build: build)
    }

    private static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// Semver precedence: prereleases sort before their release.
    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): break
        }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (Int(x), Int(y)) {
            case let (i?, j?): return i < j
            case (_?, nil): return true
            case (nil, _?): return false
            default: return x < y
            }
        }
        return a.prerelease.count < b.prerelease.count
    }

    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch) && a.prerelease == b.prerelease
    }

    public func hash(into h: inout Hasher) {
        h.combine(major); h.combine(minor); h.combine(patch); h.combine(prerelease)
    }
}

/// A version that is not semver.
public struct VersionError: ClassifiedError, Equatable, Sendable {
    public var input: String
    public var reason: String
    public var code: String { "input.version" }
    public var description: String { "invalid version \"\(input)\": \(reason)" }
}
