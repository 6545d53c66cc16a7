extension RegistryClient {
    /// Runs `body` with a new client and shuts it down afterwards, however `body` ends.
    public static func with<T: Sendable>(
        _ configuration: RegistryClientConfiguration = .init(), credentials: CredentialStore = .fromDockerConfig(),
        _ body: (RegistryClient) async throws -> T
    ) async throws -> T {
        let client = RegistryClient(configuration: configuration, credentials: credentials)
        do {
            let value = try await body(client)
            try? await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
