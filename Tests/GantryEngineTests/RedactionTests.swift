import Foundation
import GantryEngine
import Testing

/// Secrets the process has seen never appear in a recorded error or an output line.
@Suite(.timeLimit(.minutes(1))) struct RedactionTests {
    struct Leaky: Error, CustomStringConvertible {
        var description: String
    }

    @Test("a known secret and its Basic-auth form are redacted from recorded errors")
    func recordedErrorsAreRedacted() {
        let credential = RegistryCredential(username: "robot", secret: "pa55-word-Redact-Me")
        let basic = Data("robot:pa55-word-Redact-Me".utf8).base64EncodedString()
        let recorded = RecordedError(Leaky(description: "helper said pa55-word-Redact-Me; header Basic \(basic)"))
        #expect(!recorded.message.contains(credential.secret) && !recorded.message.contains(basic))
        #expect(recorded.message == "helper said [redacted]; header Basic [redacted]")
        let registry = RecordedError(RegistryError(.credentials, "token pa55-word-Redact-Me refused"))
        #expect(registry.kind == "registry.credentials" && registry.message == "token [redacted] refused")
    }
}
