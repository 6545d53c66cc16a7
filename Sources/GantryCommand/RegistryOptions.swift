import ArgumentParser
import Foundation
import GantryEngine

/// `--ca-bundle`, for every command that talks to registries.
struct CABundleOption: ParsableArguments {
    @Option(
        name: .customLong("ca-bundle"),
        help: ArgumentHelp(
            "Extra CA certificates (PEM) to trust for HTTPS, for every registry.",
            discussion: "Besides the system's, $SSL_CERT_FILE, $SSL_CERT_DIR and each registry's ca: in the config.", valueName: "path"))
    var caBundle: String?
}

/// How the commands that talk to registries without a release flow reach them.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("insecure"), help: ArgumentHelp("A registry host reachable over plain HTTP (repeatable). Loopback always is.", valueName: "host"))
    var insecureHosts: [String] = []

    @OptionGroup var trust: CABundleOption

    @Option(help: ArgumentHelp("Requests at once per registry.", discussion: "Default: 8; 32 for audit --tags (one small request per tag)."))
    var concurrency: Int?

    /// Runs `body` with a client configured from the flags and the config's `registries`
    /// (their insecure hosts and CAs), shutting it down afterwards; `concurrency` unless
    /// `--concurrency` says otherwise.
    func withClient<T: Sendable>(
        registries: [RegistryTarget] = [], concurrency defaultConcurrency: Int = 8, _ body: (RegistryClient) async throws -> T
    ) async throws -> T {
        var configuration = try RegistryClientConfiguration(
            registries: registries, caBundle: trust.caBundle, maxConcurrentRequestsPerRegistry: concurrency ?? defaultConcurrency)
        configuration.insecureHosts.formUnion(insecureHosts.map { RegistryHost.canonical($0) })
        return try await RegistryClient.with(configuration, body)
    }
}
