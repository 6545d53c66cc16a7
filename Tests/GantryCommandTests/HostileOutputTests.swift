import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// What a registry sends never shapes `gantry audit`'s output: a newline or control
/// character in a tag or an annotation is spelled out on its line, never a line of its own
/// (a registry printing a fake "no findings"), and `--json` carries none of them raw.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HostileOutputTests {
    /// A value that would print a fake verdict, clear the screen and turn the line around.
    static let forged = "1.0\nno findings: every tag is whole and consistent\u{9B}2J\u{202E}evil"
    static let raw: [Unicode.Scalar] = ["\u{9B}", "\u{202E}"]

    func environment(_ dir: TemporaryDirectory) -> [String: String] { ["DOCKER_CONFIG": dir.path] }

    func expectNoForgedLine(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!output.split(separator: "\n").contains { $0.hasPrefix("no findings") }, "\(output)", sourceLocation: sourceLocation)
        #expect(!output.unicodeScalars.contains { Self.raw.contains($0) }, "\(output)", sourceLocation: sourceLocation)
        #expect(output.contains(#"1.0\nno findings: every tag is whole and consistent\u009B2J\u202Eevil"#), "\(output)", sourceLocation: sourceLocation)
    }

    func expectEscapedJSON(_ output: String, holding value: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!output.unicodeScalars.contains { Self.raw.contains($0) }, "\(output)", sourceLocation: sourceLocation)
        #expect(output.contains(#"\u009B"#) && output.contains(#"\u202E"#), "\(output)", sourceLocation: sourceLocation)
        // Still JSON, and the value comes back whole.
        #expect(strings(in: try JSONSerialization.jsonObject(with: Data(output.utf8))).contains(value), sourceLocation: sourceLocation)
    }

    @Test("a tag holding a newline and control characters, listed by --tags, is one escaped cell; --json escapes them")
    func forgedTagIsSpelledOut() async throws {
        try await withRegistry { registry in
            _ = try await RegistryClient.with(credentials: .anonymous) { client in
                try await SyntheticImage.push("linux/amd64", to: try .parse("\(registry.host)/acme/app"), tags: ["1.0"], client: client)
            }
            try await withHostileRegistry(in: registry, tricks: [.extraTag(listed: Self.forged, real: "1.0")]) { hostile in
                try await withTemporaryDirectory { dir in
                    let plain = try await GantryBinary.run(["audit", "\(hostile.host)/acme/app", "--tags"], environment: environment(dir))
                    #expect(plain.status == 0, "\(plain.stderr)")
                    expectNoForgedLine(plain.stdout)
                    let json = try await GantryBinary.run(["audit", "\(hostile.host)/acme/app", "--tags", "--json"], environment: environment(dir))
                    #expect(json.status == 0, "\(json.stderr)")
                    try expectEscapedJSON(json.stdout, holding: Self.forged)
                }
            }
        }
    }

    @Test("an annotation holding a newline and control characters is spelled out on its line; --json escapes them")
    func forgedAnnotationIsSpelledOut() async throws {
        try await withRegistry { registry in
            _ = try await RegistryClient.with(credentials: .anonymous) { client in
                try await SyntheticImage.push(
                    "linux/amd64", annotations: [AnnotationKey.version: Self.forged], to: try .parse("\(registry.host)/acme/app"), tags: ["1"],
                    client: client)
            }
            try await withTemporaryDirectory { dir in
                // linux/arm64 is expected and missing: a finding, so no real "no findings" line either.
                let arguments = ["audit", "\(registry.host)/acme/app:1", "--expect-platform", "linux/arm64"]
                let plain = try await GantryBinary.run(arguments, environment: environment(dir))
                #expect(plain.status == 1, "\(plain.stderr)")
                expectNoForgedLine(plain.stdout)
                let json = try await GantryBinary.run(arguments + ["--json"], environment: environment(dir))
                #expect(json.status == 1, "\(json.stderr)")
                try expectEscapedJSON(json.stdout, holding: Self.forged)
            }
        }
    }
}

/// Every string anywhere in a JSON value.
private func strings(in value: Any) -> [String] {
    switch value {
    case let text as String: [text]
    case let array as [Any]: array.flatMap(strings)
    case let object as [String: Any]: object.values.flatMap(strings)
    default: []
    }
}
