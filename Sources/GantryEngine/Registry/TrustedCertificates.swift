import Foundation
import NIOSSL

/// The CA certificates trusted for HTTPS besides the system's: `--ca-bundle`, `SSL_CERT_FILE`
/// and `SSL_CERT_DIR` for every registry, a registry's own `ca:` for that registry alone (a
/// private CA vouches for its own registry, not for Docker Hub). Loaded once, when made, so a
/// wrong path is an error naming where it was given, never a silent fall-back to the system's.
public struct TrustedCertificates: Sendable {
    /// Trusted for every host.
    public private(set) var everywhere: [NIOSSLCertificate] = []
    /// Trusted for one registry (canonical `host[:port]`) on top of `everywhere`.
    public private(set) var byRegistry: [String: [NIOSSLCertificate]] = [:]

    /// The system's roots only.
    public init() {}

    /// `caBundle` (the `--ca-bundle` flag), `SSL_CERT_FILE` and `SSL_CERT_DIR` of `environment`,
    /// and the `ca:` of each registry.
    public init(caBundle: String?, registries: [RegistryTarget], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let caBundle { everywhere += try Self.load(file: caBundle, givenBy: "--ca-bundle") }
        if let file = environment["SSL_CERT_FILE"], !file.isEmpty { everywhere += try Self.load(file: file, givenBy: "SSL_CERT_FILE") }
        if let folder = environment["SSL_CERT_DIR"], !folder.isEmpty {
            // OpenSSL's form: folders separated by colons.
            for path in folder.split(separator: ":").map(String.init) { everywhere += try Self.load(folder: path) }
        }
        for registry in registries {
            guard let ca = registry.ca else { continue }
            byRegistry[registry.host] = try Self.load(file: ca, givenBy: "ca: of \(registry.host)")
        }
    }

    /// The client TLS configuration of every request: the system's roots and `everywhere`.
    var tlsConfiguration: TLSConfiguration { Self.configuration(trusting: everywhere) }

    /// The TLS configuration of requests to `authority` (`host[:port]`) when that registry
    /// has a CA of its own; nil: `tlsConfiguration`.
    func registryTLSConfiguration(for authority: String) -> TLSConfiguration? {
        byRegistry[RegistryHost.canonical(authority)].map { Self.configuration(trusting: everywhere + $0) }
    }

    private static func configuration(trusting extra: [NIOSSLCertificate]) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !extra.isEmpty { tls.additionalTrustRoots = [.certificates(extra)] }
        return tls
    }

    /// The certificates of a PEM file; `givenBy` names the flag, variable or key in errors.
    public static func load(file path: String, givenBy origin: String) throws -> [NIOSSLCertificate] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw FileSystemError(path: path, reason: isFolder.boolValue ? "is a folder, not a PEM file of CA certificates (\(origin))" : "does not exist (\(origin))")
        }
        let certificates: [NIOSSLCertificate]
        do { certificates = try NIOSSLCertificate.fromPEMFile(path) } catch {
            throw FileSystemError(path: path, reason: "is not a PEM file of CA certificates (\(origin))")
        }
        if certificates.isEmpty { throw FileSystemError(path: path, reason: "holds no certificate (\(origin))") }
        return certificates
    }

    /// The certificates of every PEM file in a folder (OpenSSL's hashed links included);
    /// other files there (a README, CRLs, keys) are not certificates and are passed over,
    /// as OpenSSL does.
    static func load(folder path: String) throws -> [NIOSSLCertificate] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw FileSystemError(path: path, reason: "is not a readable folder of CA certificates (SSL_CERT_DIR)")
        }
        return names.sorted().flatMap { name -> [NIOSSLCertificate] in
            (try? NIOSSLCertificate.fromPEMFile((path as NSString).appendingPathComponent(name))) ?? []
        }
    }
}
