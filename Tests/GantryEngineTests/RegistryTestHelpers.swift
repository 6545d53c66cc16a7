import Foundation
import GantryEngine
import GantryTestSupport

/// Runs `body` with a registry client that is always shut down afterwards.
func withRegistryClient<T>(
    _ configuration: RegistryClientConfiguration = .init(maxRetries: 1, retryBaseDelay: .milliseconds(20)),
    credentials: CredentialStore = .anonymous,
    _ body: (RegistryClient) async throws -> T
) async throws -> T {
    let client = RegistryClient(configuration: configuration, credentials: credentials)
    do {
        let value = try await body(client)
        try await client.shutdown()
        return value
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Runs `body` with a fresh buildah fixture store, removed afterwards.
func withImageFixtures<T>(credentials: String? = nil, _ body: (ImageFixtures) async throws -> T) async throws -> T {
    let fixtures = try ImageFixtures(credentials: credentials)
    defer { fixtures.remove() }
    return try await body(fixtures)
}
