import Foundation
import GantryTestSupport
import Testing

/// The test support's real registry: anonymous and htpasswd-protected.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct RegistryServerTests {
    @Test func anonymousRegistryAnswers() async throws {
        try await withRegistry { registry in
            let status = try await httpStatus(registry.baseURL.appendingPathComponent("v2/"))
            #expect(status == 200)
        }
    }

    @Test func basicAuthRegistryChallengesAndAccepts() async throws {
        try await withRegistry(auth: .basic(user: "ci", password: "s3cret")) { registry in
            let url = registry.baseURL.appendingPathComponent("v2/")
            let anonymous = try await httpStatus(url)
            #expect(anonymous == 401)
            let token = Data("ci:s3cret".utf8).base64EncodedString()
            let authenticated = try await httpStatus(url, headers: ["Authorization": "Basic \(token)"])
            #expect(authenticated == 200)
            let wrong = Data("ci:nope".utf8).base64EncodedString()
            let refused = try await httpStatus(url, headers: ["Authorization": "Basic \(wrong)"])
            #expect(refused == 401)
        }
    }

    @Test func severalRegistriesRunAtOnceAndStop() async throws {
        let ports = try await withRegistries(3) { registries in
            #expect(Set(registries.map(\.port)).count == 3)
            for registry in registries {
                let status = try await httpStatus(registry.baseURL.appendingPathComponent("v2/"))
                #expect(status == 200)
            }
            return registries.map(\.baseURL)
        }
        for url in ports {
            await #expect(throws: (any Error).self) { try await httpStatus(url.appendingPathComponent("v2/")) }
        }
    }
}
