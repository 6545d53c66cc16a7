import Foundation

/// A certificate authority made for one test with the openssl CLI, and a server certificate
/// it signed for 127.0.0.1: what a company's registry behind a private CA looks like.
public struct PrivateCA: Sendable {
    public let directory: TemporaryDirectory
    /// The CA's certificate (PEM): what a client must trust.
    public var certificate: String { directory.url.appendingPathComponent("ca.pem").path }
    /// The server's certificate and key (PEM), for 127.0.0.1.
    public var serverCertificate: String { directory.url.appendingPathComponent("server.pem").path }
    public var serverKey: String { directory.url.appendingPathComponent("server.key").path }

    public init() async throws {
        directory = try TemporaryDirectory(prefix: "gantry-ca")
        let dir = directory.url.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        _ = try await runTool("openssl", ["req", "-x509"] + ec + [
            "-keyout", "\(dir)/ca.key", "-out", certificate, "-days", "2", "-subj", "/CN=Gantry Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        _ = try await runTool("openssl", ["req"] + ec + ["-keyout", serverKey, "-out", "\(dir)/server.csr", "-subj", "/CN=127.0.0.1"])
        let extensions = try directory.write("server.ext", """
            basicConstraints=CA:FALSE
            keyUsage=digitalSignature
            extendedKeyUsage=serverAuth
            subjectAltName=IP:127.0.0.1

            """)
        _ = try await runTool("openssl", [
            "x509", "-req", "-in", "\(dir)/server.csr", "-CA", certificate, "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
            "-out", serverCertificate, "-days", "2", "-extfile", extensions,
        ])
    }

    public func remove() { directory.remove() }
}
