/// A target platform such as `linux/amd64` or `linux/arm/v7`.
public struct Platform: Hashable, Sendable, Comparable, CustomStringConvertible, ParsedStringCodable {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }

    /// A file-name-safe form (`linux-arm-v7`).
    public var slug: String { description.replacingOccurrences(of: "/", with: "-") }

    public static func < (a: Platform, b: Platform) -> Bool { a.description < b.description }

    public static let knownOS = ["linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "plan9", "wasip1", "js"]
    public static let knownArchitectures = ["amd64", "arm64", "arm", "386", "ppc64le", "ppc64", "s390x", "riscv64", "mips64le", "mips64", "mipsle", "mips", "loong64", "wasm"]
    static let aliases = ["x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "i386": "386"]
    static let variants = ["arm": ["v5", "v6", "v7", "v8"], "arm64": ["v8", "v9"], "amd64": ["v1", "v2", "v3", "v4"], "riscv64": ["rva20u64", "rva22u64"]]

    /// Parses and normalises (`linux/arm` is `linux/arm/v7`, `linux/arm64/v8` is `linux/arm64`,
    /// as containerd does), or throws an error that says what is allowed.
    public static func parse(_ text: String) throws(PlatformError) -> Platform {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw PlatformError(input: text, reason: "expected os/arch or os/arch/variant, such as linux/amd64 or linux/arm/v7")
        }
        let os = parts[0].lowercased()
        guard knownOS.contains(os) else {
            throw PlatformError(input: text, reason: "\"\(parts[0])\" is not a known os\(Suggestion.didYouMean(os, among: knownOS)); allowed: \(knownOS.joined(separator: ", "))")
        }
        var arch = parts[1].lowercased()
        arch = aliases[arch] ?? arch
        guard knownArchitectures.contains(arch) else {
            throw PlatformError(input: text, reason: "\"\(parts[1])\" is not a known architecture\(Suggestion.didYouMean(arch, among: knownArchitectures)); allowed: \(knownArchitectures.joined(separator: ", "))")
        }
        var variant = parts.count == 3 ? parts[2].lowercased() : nil
        if let v = variant {
            let allowed = variants[arch] ?? []
            guard allowed.contains(v) else {
                let list = allowed.isEmpty ? "\(arch) takes no variant" : "allowed for \(arch): \(allowed.joined(separator: ", "))"
                throw PlatformError(input: text, reason: "\"\(v)\" is not a variant of \(arch); \(list)")
            }
        }
        if arch == "arm" && variant == nil { variant = "v7" }
        if arch == "arm64" && variant == "v8" { variant = nil }
        if arch == "amd64" && variant == "v1" { variant = nil }
        return Platform(os: os, architecture: arch, variant: variant)
    }
}

/// A platform string that does not parse.
public struct PlatformError: Error, Equatable, Sendable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public var description: String { "invalid platform \"\(input)\": \(reason)" }
}
