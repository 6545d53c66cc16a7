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

/// The index skopeo reads at `reference`, decoded with Foundation only (not the engine's types).
func skopeoIndexEntries(_ reference: String) throws -> [[String: Any]] {
    let json = try JSONSerialization.jsonObject(with: Skopeo.rawManifest(reference)) as? [String: Any]
    return json?["manifests"] as? [[String: Any]] ?? []
}

/// `os/arch[/variant]` of a raw index entry.
func platformText(_ entry: [String: Any]) -> String {
    let platform = entry["platform"] as? [String: Any] ?? [:]
    return [platform["os"], platform["architecture"], platform["variant"]].compactMap { $0 as? String }.joined(separator: "/")
}
