import ArgumentParser
import Foundation
import GantryEngine

/// How the commands that talk to registries without a release flow reach them.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("insecure"), help: ArgumentHelp("A registry host reachable over plain HTTP (repeatable). Loopback always is.", valueName: "host"))
    var insecureHosts: [String] = []

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("Extra CA certificates (PEM) to trust for HTTPS.", valueName: "path"))
    var caBundle: String?

    @Option(help: "Requests at once per registry.")
    var concurrency = 8

    /// Runs `body` with a client configured from the flags (and `insecure`, from a config),
    /// shutting it down afterwards.
    func withClient<T: Sendable>(insecure: Set<String> = [], _ body: (RegistryClient) async throws -> T) async throws -> T {
        let configuration = RegistryClientConfiguration(
            insecureHosts: insecure.union(insecureHosts), caBundlePath: caBundle, maxConcurrentRequestsPerRegistry: concurrency)
        try configuration.checkCABundle()
        return try await RegistryClient.with(configuration, body)
    }
}
