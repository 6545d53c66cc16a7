import Crypto
import Foundation

/// A small Bearer token issuer for registries started with `auth: token`: it checks Basic
/// credentials, grants the requested scopes to known users (and, optionally, `pull` to
/// anonymous callers), and signs ES256 JWTs with a key whose certificate is the registry's
/// `rootcertbundle` (key and certificate made with `openssl` at start).
public final class TokenIssuer: @unchecked Sendable {
    public let service = "gantry-test-registry"
    public let issuer = "gantry-test-issuer"
    public let directory: TemporaryDirectory
    private let server: LoopbackHTTPServer
    private let requests: RequestLog<[String]>

    /// The token endpoint, `http://127.0.0.1:PORT/token`.
    public var realm: String { "http://\(server.host)/token" }

    /// The registry auth block that trusts this issuer.
    public var registryAuth: RegistryServer.Auth {
        .token(realm: realm, service: service, issuer: issuer, rootCertBundle: directory.path + "/cert.pem")
    }

    /// The `scope` parameters of every token request so far, one array per request.
    public var requestedScopes: [[String]] { requests.entries }

    public init(users: [String: String], anonymousPull: Bool = false) async throws {
        let directory = try TemporaryDirectory(prefix: "gantry-token-issuer")
        self.directory = directory
        try await runTool("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory.path + "/key.pem", "-out", directory.path + "/cert.pem",
            "-subj", "/CN=gantry-test-issuer", "-days", "2",
        ])
        let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: directory.path + "/key.pem", encoding: .utf8))
        let signer = JWTSigner(key: key)
        let requests = RequestLog<[String]>()
        self.requests = requests
        let (service, issuer) = (service, issuer)
        server = try LoopbackHTTPServer { request in
            guard request.path == "/token" else { return .init(status: 404) }
            let scopes = request.query("scope")
            requests.append(scopes)
            let user = Self.authenticatedUser(request, users: users)
            if user == nil, request.header("Authorization") != nil { return .init(status: 401) }
            let access = scopes.compactMap { Self.grant($0, to: user, anonymousPull: anonymousPull) }
            let token = signer.sign(claims: [
                "iss": issuer, "sub": user ?? "", "aud": service,
                "exp": Int(Date().timeIntervalSince1970) + 300, "nbf": Int(Date().timeIntervalSince1970) - 10,
                "iat": Int(Date().timeIntervalSince1970), "jti": UUID().uuidString, "access": access,
            ])
            let body = try! JSONSerialization.data(withJSONObject: ["token": token, "expires_in": 300])
            return .init(status: 200, headers: [("Content-Type", "application/json")], body: body)
        }
    }

    public func stop() {
        server.stop()
        directory.remove()
    }

    private static func authenticatedUser(_ request: LoopbackHTTPServer.Request, users: [String: String]) -> String? {
        guard let header = request.header("Authorization"), header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        let user = String(decoded[..<colon])
        return users[user] == String(decoded[decoded.index(after: colon)...]) ? user : nil
    }

    /// `repository:NAME:ACTIONS` → an access claim: all actions for users, `pull` for anonymous when allowed.
    private static func grant(_ scope: String, to user: String?, anonymousPull: Bool) -> [String: Any]? {
        let parts = scope.split(separator: ":").map(String.init)
        guard parts.count >= 3, parts[0] == "repository" else { return nil }
        let name = parts[1..<(parts.count - 1)].joined(separator: ":")
        var actions = parts[parts.count - 1].split(separator: ",").map(String.init)
        if user == nil { actions = anonymousPull ? actions.filter { $0 == "pull" } : [] }
        return ["type": "repository", "name": name, "actions": actions]
    }
}

/// Signs JWTs the way distribution 2.x verifies them: ES256, with `kid` the libtrust key ID
/// of the signing key (so the registry finds the key among its root certificates).
struct JWTSigner: Sendable {
    let key: P256.Signing.PrivateKey

    func sign(claims: [String: Any]) -> String {
        let header: [String: Any] = ["typ": "JWT", "alg": "ES256", "kid": Self.libtrustKeyID(key.publicKey)]
        let signingInput = Self.base64URL(try! JSONSerialization.data(withJSONObject: header))
            + "." + Self.base64URL(try! JSONSerialization.data(withJSONObject: claims))
        let signature = try! key.signature(for: Data(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// libtrust's key ID: the first 240 bits of sha256(DER SubjectPublicKeyInfo), base32, in groups of 4 joined by ':'.
    static func libtrustKeyID(_ key: P256.Signing.PublicKey) -> String {
        let hash = Array(SHA256.hash(data: key.derRepresentation).prefix(30))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, value = 0
        var encoded: [Character] = []
        for byte in hash {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                encoded.append(alphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        return stride(from: 0, to: encoded.count, by: 4).map { String(encoded[$0..<min($0 + 4, encoded.count)]) }.joined(separator: ":")
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
