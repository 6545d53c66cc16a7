/// A normalised image reference: registry host, repository path, and a tag or digest.
///
/// Normalisation follows docker: a first path component is a host only when it
/// contains `.` or `:` or is `localhost`; otherwise the host is `docker.io`, and a
/// one-word Docker Hub repository gets `library/`.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// Registry host as users write it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`).
    public var registry: String
    /// Repository path inside the registry (`library/ubuntu`, `acme/app`).
    public var repository: String
    public var tag: String?
    public var digest: String?

    public init(registry: String, repository: String, tag: String? = nil, digest: String? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// `registry/repository` without tag or digest.
    public var name: String { "\(registry)/\(repository)" }

    /// The reference as docker prints it when fully qualified.
    public var description: String {
        var s = name
        if let tag { s += ":\(tag)" }
        if let digest { s += "@\(digest)" }
        return s
    }

    /// This reference with a different tag and no digest.
    public func with(tag: String) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: tag)
    }

    /// This reference with a digest and no tag.
    public func with(digest: String) -> ImageReference {
        ImageReference(registry: registry, repository: repository, digest: digest)
    }

    /// Parses and normalises a reference such as `ubuntu`, `acme/app:1.0` or
    /// `127.0.0.1:5000/app@sha256:...`.
    public static func parse(_ text: String) throws(ReferenceError) -> ImageReference {
        guard !text.isEmpty else { throw ReferenceError(input: text, reason: "the reference is empty") }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let d = String(rest[rest.index(after: at)...])
            guard Digest.isValid(d) else {
                throw ReferenceError(input: text, reason: "\"\(d)\" is not a digest (expected sha256: and 64 hex digits)")
            }
            digest = d
            rest = rest[..<at]
        }
        var tag: String?
        // A ':' after the last '/' separates the tag; one before it is a port.
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let t = String(rest[rest.index(after: colon)...])
            guard TagName.isValid(t) else {
                throw ReferenceError(input: text, reason: "\"\(t)\" is not a valid tag (\(TagName.grammar))")
            }
            tag = t
            rest = rest[..<colon]
        }
        let (registry, path) = splitHost(String(rest))
        if let problem = RegistryHost.problem(registry) { throw ReferenceError(input: text, reason: problem) }
        let repository = try normalisedRepository(path, registry: registry, input: text)
        return ImageReference(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// Parses a repository name without tag or digest (`acme/app`, `ghcr.io/acme/app`).
    public static func parseRepository(_ text: String) throws(ReferenceError) -> ImageReference {
        let ref = try parse(text)
        guard ref.tag == nil, ref.digest == nil else {
            throw ReferenceError(input: text, reason: "expected a repository without tag or digest")
        }
        return ref
    }

    /// Splits `host/path` docker's way; returns `docker.io` when there is no host.
    static func splitHost(_ name: String) -> (String, String) {
        guard let slash = name.firstIndex(of: "/") else { return ("docker.io", name) }
        let first = name[..<slash]
        if first.contains(".") || first.contains(":") || first == "localhost" {
            return (RegistryHost.canonical(String(first)), String(name[name.index(after: slash)...]))
        }
        return ("docker.io", name)
    }

    /// Validates the repository path and adds `library/` for one-word Docker Hub names.
    static func normalisedRepository(_ path: String, registry: String, input: String) throws(ReferenceError) -> String {
        if let problem = RepositoryName.problem(path) {
            throw ReferenceError(input: input, reason: problem)
        }
        if registry == "docker.io" && !path.contains("/") { return "library/\(path)" }
        return path
    }
}

/// A reference that does not parse.
public struct ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public var description: String { "invalid image reference \"\(input)\": \(reason)" }
}

/// Registry host spelling rules shared by references and config.
public enum RegistryHost {
    /// `index.docker.io` and `registry-1.docker.io` are Docker Hub, written `docker.io`.
    public static func canonical(_ host: String) -> String {
        switch host.lowercased() {
        case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com": return "docker.io"
        default: return host.lowercased()
        }
    }

    /// The host that serves the registry API (`docker.io` is `registry-1.docker.io`).
    public static func apiHost(_ host: String) -> String {
        canonical(host) == "docker.io" ? "registry-1.docker.io" : host
    }

    /// Loopback hosts may always use plain HTTP.
    public static func isLoopback(_ host: String) -> Bool {
        let h = hostWithoutPort(host)
        return h == "localhost" || h.hasPrefix("127.") || h == "[::1]" || h == "::1"
    }

    /// The host part of `host:port` (bracketed IPv6 kept as is).
    public static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") { return String(host[...end]) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    /// Returns why `host` is not a usable registry host, or nil.
    public static func problem(_ host: String) -> String? {
        if host.isEmpty { return "the registry host is empty" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        if let bad = host.first(where: { !allowed.contains($0) }) {
            return "\"\(host)\" is not a registry host (unexpected \"\(bad)\"; write a host such as ghcr.io or 127.0.0.1:5000, without scheme or path)"
        }
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard let n = Int(port), (1...65535).contains(n) else {
                return "\"\(host)\" has an invalid port \"\(port)\""
            }
        }
        let name = hostWithoutPort(host)
        if name.hasPrefix("[") { return nil }
        if name.isEmpty { return "\"\(host)\" has no host name before the port (write a host such as 127.0.0.1:5000)" }
        // DNS names and IPv4 addresses: dot-separated labels of letters, digits and inner hyphens.
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.contains(where: { $0.isEmpty || $0.hasPrefix("-") || $0.hasSuffix("-") || $0.contains(":") || $0.contains("[") || $0.contains("]") }) {
            return "\"\(host)\" is not a registry host (each part of a host name is letters, digits and inner hyphens)"
        }
        return nil
    }
}

/// OCI tag syntax.
public enum TagName {
    public static let grammar = "a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'"

    public static func isValid(_ tag: String) -> Bool {
        let u = Array(tag.utf8)
        guard (1...128).contains(u.count) else { return false }
        func word(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        guard word(u[0]) else { return false }
        return u.dropFirst().allSatisfy { word($0) || $0 == 0x2E || $0 == 0x2D }
    }
}

/// The lowercase OCI repository name grammar.
public enum RepositoryName {
    /// Returns why `path` is not a valid repository path, or nil when it is.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "the repository name is empty" }
        if path.count > 255 { return "the repository name is longer than 255 characters" }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "\"\(path)\" has an empty path component" }
            if component.contains(where: { $0.isUppercase }) {
                return "\"\(path)\" must be lowercase"
            }
            if !isComponent(component) {
                return "\"\(component)\" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')"
            }
        }
        return nil
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
    static func isComponent(_ s: Substring) -> Bool {
        let u = Array(s.utf8)
        func alnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
        guard let first = u.first, let last = u.last, alnum(first), alnum(last) else { return false }
        var i = 0
        while i < u.count {
            if alnum(u[i]) { i += 1; continue }
            var j = i
            while j < u.count && !alnum(u[j]) { j += 1 }
            let sep = u[i..<j]
            let ok = sep.elementsEqual([0x2E]) || sep.elementsEqual([0x5F]) || sep.elementsEqual([0x5F, 0x5F])
                || sep.allSatisfy { $0 == 0x2D }
            if !ok { return false }
            i = j
        }
        return true
    }
}

/// Content digests (`sha256:<64 hex>`).
public enum Digest {
    public static func isValid(_ s: String) -> Bool {
        guard s.hasPrefix("sha256:") else { return false }
        let hex = s.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// `sha256:abcdef123456` shortened for tables (12 hex digits).
    public static func short(_ s: String) -> String {
        guard s.hasPrefix("sha256:") else { return s }
        return String(s.dropFirst(7).prefix(12))
    }
}
