import Foundation

/// Where a URL points: scheme, host and port. Credentials are scoped to their registry's
/// origin, the way containerd's resolver and browsers scope them: every URL a registry sends
/// (a redirect, a `Link`, an upload `Location`, a token realm) is checked here before it is
/// followed, and one on another origin never gets the registry's `Authorization`.
struct Origin: Hashable, Sendable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    /// The origin of an absolute `http` or `https` URL; nil for anything else.
    init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    /// The origin of `registry`'s API (HTTP for loopback and configured insecure hosts).
    init(registry: String, configuration: RegistryClientConfiguration) {
        // baseURL is always `http(s)://` and a host that passed `RegistryHost.problem`.
        self.init(URL(string: configuration.baseURL(registry))!)!
    }

    /// `host` or `host:port` (the scheme's default port left out), as registries are named.
    var authority: String {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return port == (scheme == "https" ? 443 : 80) ? name : "\(name):\(port)"
    }

    var isLoopback: Bool { RegistryHost.isLoopback(host) }

    var description: String { "\(scheme)://\(authority)" }

    /// The URL `location` names (absolute, or relative to `base`, the URL whose answer sent
    /// it) and its origin, when it may be followed: never from HTTPS down to HTTP, and plain
    /// HTTP only to loopback or a configured insecure registry.
    static func follow(_ location: String, from base: String, configuration: RegistryClientConfiguration) throws(RegistryError) -> (url: String, origin: Origin) {
        let sender = URL(string: base)
        // Origins only in messages: upload URLs carry session state in their queries.
        let from = sender.flatMap(Origin.init)?.description ?? "the registry"
        guard let url = URL(string: location, relativeTo: sender)?.absoluteURL, let target = Origin(url) else {
            throw RegistryError(.unsafeURL, "\(from) sent a URL that is not an HTTP or HTTPS URL")
        }
        if sender?.scheme?.lowercased() == "https", target.scheme == "http" {
            throw RegistryError(.unsafeURL, "\(from) sent \(target), a step down from HTTPS to plain HTTP; refused")
        }
        if target.scheme == "http", !configuration.usesPlainHTTP(target.authority) {
            throw RegistryError(.unsafeURL, "\(from) sent \(target), plain HTTP to a host that is neither loopback nor a configured insecure registry; refused")
        }
        return (url.absoluteString, target)
    }

    /// Whether a token realm at this origin may receive the credentials of the registry at
    /// `registry`: over HTTPS, on loopback, or on the registry's own origin (a realm elsewhere
    /// is how Docker Hub and others hand out tokens, so the origin alone cannot decide).
    func mayReceiveCredentials(asRealmOf registry: Origin) -> Bool {
        scheme == "https" || isLoopback || self == registry
    }
}
