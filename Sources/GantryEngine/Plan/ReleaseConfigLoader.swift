import Foundation
import Yams

/// Reads and validates `gantry.yaml`, reporting every problem with its file, line,
/// column and field.
public enum ReleaseConfigLoader {
    /// The config file used when neither `--config` nor `GANTRY_CONFIG` is given.
    public static let defaultPath = "gantry.yaml"

    /// Reads the config at `path`.
    public static func load(path: String) throws -> ReleaseConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError([ConfigDiagnostic(
                file: path, line: 0, column: 0, field: "",
                message: FileManager.default.fileExists(atPath: path)
                    ? "cannot read the release config: \(FileSystemError.reading(path, error).reason)"
                    : "no release config here; pass --config PATH or set GANTRY_CONFIG"
            )])
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses config text; `source` names it in messages.
    public static func parse(yaml: String, source: String) throws(ConfigError) -> ReleaseConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError(yamlDiagnostics(error, text: yaml, source: source))
        } catch {
            throw ConfigError([ConfigDiagnostic(file: source, line: 0, column: 0, field: "", message: "\(error)")])
        }
        var reader = ConfigReader(source: source)
        let config = reader.read(root)
        guard reader.diagnostics.isEmpty, let config else { throw ConfigError(reader.diagnostics) }
        return config
    }

    static func yamlDiagnostics(_ error: YamlError, text: String, source: String) -> [ConfigDiagnostic] {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return [ConfigDiagnostic(file: source, line: mark.line, column: mark.column, field: "", message: "not valid YAML: \(problem)")]
        case .duplicatedKeysInMapping(let duplicates, _):
            // Yams names the keys only; the second occurrence is where the mistake is.
            return duplicates.sorted().map { key in
                let (line, column) = secondOccurrence(of: key, in: text) ?? (0, 0)
                return ConfigDiagnostic(file: source, line: line, column: column, field: key, message: "appears twice in the same mapping; keep one")
            }
        default:
            return [ConfigDiagnostic(file: source, line: 0, column: 0, field: "", message: "not valid YAML: \(error)")]
        }
    }

    /// Line and column (1-based) of the second `key:` at the same indentation as the first.
    static func secondOccurrence(of key: String, in text: String) -> (Int, Int)? {
        var firstIndent: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            var rest = line.dropFirst(indent)
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2) }
            let unquoted = rest.hasPrefix("\"\(key)\"") || rest.hasPrefix("'\(key)'") ? rest.dropFirst(key.count + 2) : rest.hasPrefix(key) ? rest.dropFirst(key.count) : nil
            guard let after = unquoted, after.drop(while: { $0 == " " }).hasPrefix(":") else { continue }
            if let first = firstIndent {
                if first == indent { return (number + 1, indent + 1) }
            } else {
                firstIndent = indent
            }
        }
        return nil
    }
}

/// Walks the YAML tree, collecting diagnostics instead of stopping at the first.
struct ConfigReader {
    let source: String
    var diagnostics: [ConfigDiagnostic] = []

    static let topKeys = ["image", "registries", "platforms", "build", "tags", "flavor", "builder", "publisher", "attestations", "parallel", "annotations", "require", "images", "sign"]
    static let buildKeys = ["context", "dockerfile", "target", "args", "labels", "bake"]
    static let defaultTags = ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"]

    mutating func report(_ node: Node?, _ field: String, _ message: String) {
        let mark = node?.mark
        diagnostics.append(ConfigDiagnostic(file: source, line: mark?.line ?? 1, column: mark?.column ?? 1, field: field, message: message))
    }

    mutating func read(_ root: Node?) -> ReleaseConfig? {
        guard let root, case .mapping(let top) = root else {
            report(root, "", "the release config must be a mapping with keys such as image, registries, platforms, build, tags")
            return nil
        }
        let fields = entries(top, allowed: Self.topKeys, path: "")

        var imagePath = ""
        var imageHost: String?
        if let node = fields["image"], let text = string(node, "image") {
            (imagePath, imageHost) = readImage(text, node: node)
        } else if fields["image"] == nil {
            report(root, "image", "required: the repository path to publish, such as acme/app")
        }

        var registries: [RegistryTarget] = []
        if let node = fields["registries"] {
            if imageHost != nil {
                report(fields["image"], "image", "give a repository path without a registry host when registries is set (the path is published to every registry)")
            }
            registries = readRegistries(node)
        } else {
            registries = [RegistryTarget(host: imageHost ?? "docker.io")]
        }

        var platforms: [PlatformTarget] = []
        let buildFields = fields["build"].map { readBuild($0) } ?? BuildOverride()
        let build = BuildSpec().applying(buildFields)
        if let node = fields["platforms"] { platforms = readPlatforms(node) } else if build.bake == nil && buildFields.bakeGroup == nil {
            report(root, "platforms", "required (unless build.bake names a target whose platforms the Bake file gives): the platforms to build, such as [linux/amd64, linux/arm64]")
        }

        let flavor = fields["flavor"].map { readFlavor($0) } ?? TagFlavor()
        let tags = fields["tags"].map { readTags($0, flavor: flavor) } ?? defaultTagRules(flavor: flavor, flavorNode: fields["flavor"])

        let builder = fields["builder"].flatMap { choice($0, "builder", BuilderChoice.self) } ?? .auto
        let publisher = fields["publisher"].flatMap { choice($0, "publisher", PublisherChoice.self) } ?? .auto
        let attestations = fields["attestations"].flatMap { choice($0, "attestations", AttestationPolicy.self) } ?? .keep
        var parallel = 4
        if let node = fields["parallel"], let text = string(node, "parallel") {
            if let n = Int(text), (1...64).contains(n) { parallel = n } else {
                report(node, "parallel", "\"\(text)\" is not allowed; give a whole number of platforms to build at once, from 1 to 64")
            }
        }
        let annotations = fields["annotations"].map { readAnnotations($0) } ?? [:]
        let requirements = fields["require"].map { readRequirements($0) } ?? ReleaseRequirements()
        let signing = fields["sign"].flatMap { readSigning($0) }
        if let node = fields["require"], requirements.record, publisher == .imagetools {
            report(node, "require.record", "imagetools writes the tags itself, so no record could be in place before they move; use publisher: native (auto then publishes natively too)")
        }
        let images = fields["images"].map { readImages($0, topImage: imagePath, topBake: build.bake) } ?? []
        if let node = fields["publisher"], publisher == .imagetools, !images.isEmpty || buildFields.bakeGroup != nil {
            report(node, "publisher", "a family (images: or a Bake group) is published by Gantry itself: imagetools cannot push an index without moving a tag, so every index could not be in place before the first tag moves; use native or auto")
        }
        var config = ReleaseConfig(
            source: source, image: imagePath, registries: registries, platforms: platforms, build: build,
            tags: tags, flavor: flavor, builder: builder, publisher: publisher, attestations: attestations, parallel: parallel,
            annotations: annotations, requirements: requirements, images: images, bakeGroup: buildFields.bakeGroup
        )
        config.signing = signing
        if diagnostics.isEmpty { checkFamily(config, node: fields["images"]) }
        if let node = fields["images"], buildFields.bakeGroup != nil {
            report(node, "images", "give images: or build.bake.group, not both (a Bake group makes the family's images itself)")
        }
        return config
    }

    // MARK: - Sections

    mutating func readImage(_ text: String, node: Node) -> (String, String?) {
        let (host, path) = ImageReference.splitHost(text)
        let explicitHost = text.hasPrefix("docker.io/") || host != "docker.io" ? host : nil
        if text.contains("@") || path.contains(":") {
            report(node, "image", "\"\(text)\" must be a repository without tag or digest (tags come from the tags rules)")
        } else if let problem = RepositoryName.problem(path) {
            report(node, "image", problem)
        }
        return (path, explicitHost)
    }

    mutating func readRegistries(_ node: Node) -> [RegistryTarget] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            report(node, "registries", "expected a non-empty list of registry hosts, such as [docker.io, ghcr.io]")
            return []
        }
        var out: [RegistryTarget] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let field = "registries[\(i)]"
            var hostNode = item
            var insecure = false
            var explicitlySecure: Bool?
            var ca: String?
            switch item {
            case .scalar:
                break
            case .mapping(let m):
                let f = entries(m, allowed: ["host", "insecure", "ca"], path: field)
                guard let h = f["host"] else {
                    report(item, field, "the long form needs host, such as {host: 127.0.0.1:5000, insecure: true}")
                    continue
                }
                hostNode = h
                if let n = f["insecure"], let value = bool(n, "\(field).insecure") {
                    insecure = value
                    if !value { explicitlySecure = true }
                }
                if let n = f["ca"], let path = string(n, "\(field).ca") {
                    ca = readCA(path, node: n, field: "\(field).ca")
                    if insecure { report(n, "\(field).ca", "a registry with a CA of its own speaks HTTPS: remove insecure: true, or the ca") }
                }
            default:
                report(item, field, "expected a host such as ghcr.io, or {host: ..., insecure: true}")
                continue
            }
            guard let host = string(hostNode, field) else { continue }
            if let problem = RegistryHost.problem(host) {
                report(hostNode, field, problem)
                continue
            }
            let target = RegistryTarget(host: host, insecure: insecure, ca: ca, explicitlySecure: explicitlySecure)
            if let first = seen[target.host] {
                report(hostNode, field, "\"\(host)\" is listed twice (first at registries[\(first)])")
                continue
            }
            seen[target.host] = i
            out.append(target)
        }
        return out
    }

    /// A registry's `ca:`: a PEM file of certificates, relative to the config's folder.
    mutating func readCA(_ path: String, node: Node, field: String) -> String? {
        let folder = (source as NSString).deletingLastPathComponent
        let resolved = path.hasPrefix("/") || folder.isEmpty ? path : ((folder as NSString).appendingPathComponent(path) as NSString).standardizingPath
        do {
            _ = try TrustedCertificates.load(file: resolved, givenBy: field)
            return resolved
        } catch let error as FileSystemError {
            report(node, field, "\(error.path) \(error.reason): give the PEM file of the CA that signs this registry's certificate")
        } catch {
            report(node, field, "\(error)")
        }
        return nil
    }

    mutating func readPlatforms(_ node: Node, path: String = "platforms") -> [PlatformTarget] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            report(node, path, "expected a non-empty list of platforms, such as [linux/amd64, linux/arm64]")
            return []
        }
        var out: [PlatformTarget] = []
        var seen: [Platform: Int] = [:]
        for (i, item) in items.enumerated() {
            let field = "\(path)[\(i)]"
            var platformNode = item
            var builder: String?
            if case .mapping(let m) = item {
                let f = entries(m, allowed: ["platform", "builder"], path: field)
                guard let p = f["platform"] else {
                    report(item, field, "the long form needs platform, such as {platform: linux/arm64, builder: arm-node}")
                    continue
                }
                platformNode = p
                if let b = f["builder"], let name = string(b, "\(field).builder") {
                    if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                        report(b, "\(field).builder", "\"\(name)\" is not a buildx builder name (letters, digits, '-', '_', '.')")
                    } else {
                        builder = name
                    }
                }
            }
            guard let text = string(platformNode, field) else { continue }
            do {
                let platform = try Platform.parse(text)
                if let first = seen[platform] {
                    report(platformNode, field, "\(platform) is listed twice (first at \(path)[\(first)])")
                    continue
                }
                seen[platform] = i
                out.append(PlatformTarget(platform: platform, builder: builder))
            } catch {
                report(platformNode, field, error.description)
            }
        }
        return out
    }

    /// A `build:` mapping at `path` (`build`, or an image's `images[1].build`), as the fields it gives.
    mutating func readBuild(_ node: Node, path: String = "build") -> BuildOverride {
        guard case .mapping(let m) = node else {
            report(node, path, "expected a mapping with context, dockerfile, target, args, labels, or bake")
            return BuildOverride()
        }
        let f = entries(m, allowed: Self.buildKeys, path: path)
        var spec = BuildOverride()
        if let n = f["context"], let s = nonEmpty(n, "\(path).context") { spec.context = s }
        if let n = f["dockerfile"], let s = nonEmpty(n, "\(path).dockerfile") { spec.dockerfile = s }
        if let n = f["target"], let s = nonEmpty(n, "\(path).target") { spec.target = s }
        if let n = f["args"] { spec.args = stringMap(n, "\(path).args") }
        if let n = f["labels"] { spec.labels = stringMap(n, "\(path).labels") }
        if let n = f["bake"] {
            // A group makes a family (one image per target); only the top level can say it.
            let keys = path == "build" ? ["file", "target", "group"] : ["file", "target"]
            if case .mapping(let bm) = n {
                let bf = entries(bm, allowed: keys, path: "\(path).bake")
                let file = bf["file"].flatMap { nonEmpty($0, "\(path).bake.file") }
                let target = bf["target"].flatMap { nonEmpty($0, "\(path).bake.target") }
                let group = bf["group"].flatMap { nonEmpty($0, "\(path).bake.group") }
                if bf["file"] == nil { report(n, "\(path).bake.file", "required: the Bake file, such as docker-bake.hcl") }
                if bf["target"] == nil && bf["group"] == nil {
                    report(n, "\(path).bake.target", path == "build"
                        ? "required: the Bake target that builds the image, or a group (one image per target)"
                        : "required: the Bake target that builds the image")
                } else if bf["target"] != nil && bf["group"] != nil {
                    report(bf["group"], "\(path).bake.group", "give a target or a group, not both")
                }
                if let file, let target { spec.bake = BakeSpec(file: file, target: target) }
                if let file, let group, target == nil { spec.bakeGroup = BakeGroupSpec(file: file, group: group) }
            } else {
                report(n, "\(path).bake", "expected {file: docker-bake.hcl, target: app}")
            }
            for key in ["dockerfile", "target", "args"] where f[key] != nil {
                report(f[key], "\(path).\(key)", "not allowed with \(path).bake (the Bake file defines it)")
            }
        }
        return spec
    }

    mutating func readFlavor(_ node: Node) -> TagFlavor {
        guard case .mapping(let m) = node else {
            report(node, "flavor", "expected {prefix: ..., suffix: ..., onlatest: false}")
            return TagFlavor()
        }
        let f = entries(m, allowed: ["prefix", "suffix", "onlatest"], path: "flavor")
        var flavor = TagFlavor()
        if let n = f["prefix"], let s = string(n, "flavor.prefix") { flavor.prefix = s }
        if let n = f["suffix"], let s = string(n, "flavor.suffix") { flavor.suffix = s }
        if let n = f["onlatest"] { flavor.onLatest = bool(n, "flavor.onlatest") ?? false }
        return flavor
    }

    /// The default rules, checked with the config's flavor like listed ones (a prefix "-"
    /// would make every tag invalid).
    mutating func defaultTagRules(flavor: TagFlavor, flavorNode: Node?) -> [TagRule] {
        let rules = Self.defaultTags.map(TagRule.init)
        for rule in rules {
            if let bad = Self.invalidExpansion(of: rule, flavor: flavor), let flavorNode {
                report(flavorNode, "flavor", "with the default tag rules, \"\(rule)\" gives the tag \"\(bad)\", which is not valid: \(TagName.grammar)")
                return []
            }
        }
        return rules
    }

    /// The first tag `rule` gives that is not a valid tag, for a release, a 0.x release and
    /// a prerelease (every rule set a version can pick).
    static func invalidExpansion(of rule: TagRule, flavor: TagFlavor) -> String? {
        let samples = [
            SemanticVersion(major: 10, minor: 20, patch: 30), SemanticVersion(major: 0, minor: 2, patch: 3),
            SemanticVersion(major: 1, minor: 2, patch: 3, prerelease: ["rc", "1"]),
        ]
        return samples.flatMap { TagSet(rules: [rule], flavor: flavor, version: $0).tags }.first { !TagName.isValid($0) }
    }

    mutating func readTags(_ node: Node, flavor: TagFlavor, path: String = "tags") -> [TagRule] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            report(node, path, "expected a non-empty list of tag rules, such as [\"{{version}}\", \"{{major}}.{{minor}}\", latest]")
            return []
        }
        var rules: [TagRule] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let field = "\(path)[\(i)]"
            guard let text = string(item, field) else { continue }
            let rule = TagRule(text)
            if text.contains("{{") || text.contains("}}") {
                if let unknown = rule.placeholderNames.first(where: { !TagRule.placeholders.contains($0) }) {
                    report(item, field, "unknown placeholder {{\(unknown)}}\(Suggestion.didYouMean(unknown, among: TagRule.placeholders)); allowed: {{version}}, {{major}}, {{minor}}, {{patch}}")
                    continue
                }
            }
            if let first = seen[text] {
                report(item, field, "\"\(text)\" is listed twice (first at \(path)[\(first)])")
                continue
            }
            if let bad = Self.invalidExpansion(of: rule, flavor: flavor) {
                report(item, field, "\"\(text)\" gives the tag \"\(bad)\", which is not valid: \(TagName.grammar)")
                continue
            }
            seen[text] = i
            rules.append(rule)
        }
        return rules
    }

    mutating func readAnnotations(_ node: Node) -> [String: String] {
        let annotations = stringMap(node, "annotations")
        if case .mapping(let m) = node {
            for (k, _) in m {
                guard let key = k.scalar?.string, !key.isEmpty else { continue }
                if let problem = IndexAnnotations.keyProblem(key) { report(k, "annotations.\(key)", problem) }
            }
        }
        return annotations
    }

    mutating func readRequirements(_ node: Node) -> ReleaseRequirements {
        guard case .mapping(let m) = node else {
            report(node, "require", "expected a mapping such as {signed: true}")
            return ReleaseRequirements()
        }
        let f = entries(m, allowed: ["signed", "record"], path: "require")
        var requirements = ReleaseRequirements()
        if let n = f["signed"] { requirements.signed = bool(n, "require.signed") ?? false }
        if let n = f["record"] { requirements.record = bool(n, "require.record") ?? false }
        return requirements
    }

    /// `sign: {key: PATH}` or `sign: {key-env: NAME}`: exactly one.
    mutating func readSigning(_ node: Node) -> SigningSpec? {
        guard case .mapping(let m) = node else {
            report(node, "sign", "expected a mapping such as {key: cosign.key} or {key-env: GANTRY_SIGNING_KEY}")
            return nil
        }
        let f = entries(m, allowed: ["key", "key-env"], path: "sign")
        switch (f["key"], f["key-env"]) {
        case (let n?, nil):
            guard let path = string(n, "sign.key"), !path.isEmpty else { return nil }
            return .file(path)
        case (nil, let n?):
            guard let name = string(n, "sign.key-env"), !name.isEmpty else { return nil }
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                report(n, "sign.key-env", "\"\(name)\" is not an environment variable name (letters, digits and _)")
                return nil
            }
            return .environment(name)
        default:
            report(node, "sign", "give key: (a PEM file) or key-env: (a variable holding the PEM), one of them")
            return nil
        }
    }

    // MARK: - Scalars

    /// The entries of a mapping, reporting unknown and repeated keys.
    mutating func entries(_ mapping: Node.Mapping, allowed: [String], path: String) -> [String: Node] {
        var out: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                report(keyNode, field, "unknown key \"\(key)\"\(Suggestion.didYouMean(key, among: allowed)); allowed here: \(allowed.joined(separator: ", "))")
                continue
            }
            if out[key] != nil {
                report(keyNode, field, "\"\(key)\" is given twice")
                continue
            }
            out[key] = value
        }
        return out
    }

    mutating func string(_ node: Node, _ field: String) -> String? {
        guard case .scalar(let s) = node else {
            report(node, field, "expected a single value, not a \(node.isMapping ? "mapping" : "list")")
            return nil
        }
        return s.string
    }

    mutating func nonEmpty(_ node: Node, _ field: String) -> String? {
        guard let s = string(node, field) else { return nil }
        guard !s.isEmpty else {
            report(node, field, "must not be empty")
            return nil
        }
        return s
    }

    mutating func bool(_ node: Node, _ field: String) -> Bool? {
        guard let s = string(node, field) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, field, "\"\(s)\" is not allowed; use true or false")
            return nil
        }
    }

    mutating func stringMap(_ node: Node, _ field: String) -> [String: String] {
        guard case .mapping(let m) = node else {
            report(node, field, "expected a mapping of names to values, such as {GO_VERSION: \"1.23\"}")
            return [:]
        }
        var out: [String: String] = [:]
        for (k, v) in m {
            let key = k.scalar?.string ?? ""
            guard !key.isEmpty else {
                report(k, field, "a name is empty")
                continue
            }
            if let value = string(v, "\(field).\(key)") { out[key] = value }
        }
        return out
    }

    mutating func choice<C: RawRepresentable & CaseIterable>(_ node: Node, _ field: String, _: C.Type) -> C? where C.RawValue == String {
        guard let s = string(node, field) else { return nil }
        if let c = C(rawValue: s) { return c }
        let allowed = C.allCases.map(\.rawValue)
        report(node, field, "\"\(s)\" is not allowed\(Suggestion.didYouMean(s, among: allowed)); allowed: \(allowed.joined(separator: " | "))")
        return nil
    }
}

extension Node {
    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
}
