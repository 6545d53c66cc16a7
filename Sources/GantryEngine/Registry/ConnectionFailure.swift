import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a connection to a registry failed, in Gantry's words: what the HTTP library's errors
/// mean, never their type names (`SocketAddressError.UnknownHost`, `NIOSSLExtraError`).
public enum ConnectionFailure: String, Sendable, Equatable, Codable {
    /// Nothing listens on that host and port.
    case refused
    /// The host name does not resolve.
    case unknownHost
    /// The TLS handshake failed: often a registry that speaks plain HTTP.
    case tls
    /// The registry's certificate is signed by a CA Gantry does not trust (a private CA).
    case untrustedCertificate
    case timedOut
    case closed
    case other

    /// What `error`, as the HTTP client throws it on a request to `host`, is, with a short phrase for messages.
    static func classify(_ error: any Error, host: String) -> (failure: ConnectionFailure, phrase: String) {
        switch error {
        case let io as IOError:
            // NIO's socket errors read "connection reset (error set): Connection refused (errno: 111)"; the errno says what happened.
            return (io.errnoCode == ECONNREFUSED ? .refused : .other, String(cString: strerror(io.errnoCode)).lowercased())
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first { return classify(first.error, host: host) }
            return (.unknownHost, "unknown host \(connection.host)")
        case let unknown as SocketAddressError.UnknownHost:
            return (.unknownHost, "unknown host \(unknown.host)")
        case is SocketAddressError:
            return (.unknownHost, "the host's address cannot be resolved")
        case NIOSSLError.handshakeFailed(.sslError(let stack)) where stack.contains(where: { "\($0)".contains("CERTIFICATE_VERIFY_FAILED") }):
            // BoringSSL names the cause only in its error strings.
            return (.untrustedCertificate, untrustedPhrase(host))
        case let extra as NIOSSLExtraError where extra == .failedToValidateHostname:
            return (.untrustedCertificate, "the certificate of \(host) is not issued for \(RegistryHost.hostWithoutPort(host))")
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return (.tls, "the TLS handshake failed")
        case let http as HTTPClientError:
            switch http {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return (.timedOut, "timed out")
            case .remoteConnectionClosed: return (.closed, "the registry closed the connection")
            default: return (.other, String(describing: http))
            }
        default:
            return (.other, String(describing: error))
        }
    }

    /// What to do about a certificate signed by a CA Gantry does not trust.
    static func untrustedPhrase(_ host: String) -> String {
        "the certificate of \(host) is not trusted: pass --ca-bundle or set ca: in the registry's config"
    }
}
