import Foundation

/// One tag rule of a release, in docker/metadata-action's template language:
/// `{{version}}`, `{{major}}.{{minor}}`, `{{major}}`, `latest`, or a raw tag.
public struct TagRule: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var template: String

    public init(_ template: String) { self.template = template }
    public var description: String { template }

    public static let placeholders = ["version", "major", "minor", "patch"]

    /// Placeholder names in the template, in order (`{{major}}.{{minor}}` → major, minor).
    public var placeholderNames: [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    public var isLatest: Bool { template == "latest" }

    /// Expands the rule for `version`, or nil when the rule does not apply:
    /// a prerelease gets only rules built on `{{version}}`; `{{major}}` alone is
    /// skipped for 0.x; `latest` and raw tags are skipped for prereleases.
    public func expand(for version: SemanticVersion) -> String? {
        expand(TagValues(version))
    }

    /// Expands the rule with `values` (see `expand(for:)`).
    public func expand(_ values: TagValues) -> String? {
        let names = placeholderNames
        if values.isPrerelease {
            guard names.contains("version") else { return nil }
        }
        if names == ["major"] && template == "{{major}}" && values.majorIsZero { return nil }
        var out = template
        for name in names {
            let value = values.value(of: name) ?? ""
            out = out.replacingOccurrences(of: "{{\(name)}}", with: value)
            out = out.replacingOccurrences(of: "{{ \(name) }}", with: value)
        }
        return out
    }

    /// The version as a tag: without `v`, build metadata's `+` written `_` (tags cannot hold `+`).
    static func tagSafe(_ v: SemanticVersion) -> String {
        v.description.replacingOccurrences(of: "+", with: "_")
    }
}

