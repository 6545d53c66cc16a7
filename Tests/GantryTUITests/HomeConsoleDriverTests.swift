import Foundation
import GantryEngine
import GantryTestSupport
import Testing
@testable import GantryTUI

/// The home console's driver against real registries, without a terminal: what it posts to
/// the console when audits overlap.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct HomeConsoleDriverTests {
    @Test("a newer audit wins: an older, slower one asked for first never replaces its result on the screen")
    func aNewerAuditWins() async throws {
        try await withRegistry { registry in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:1")
            // The same registry behind a slow proxy: the first audit's answers take a second each.
            let proxy = try LatencyProxy(upstreamPort: registry.port, delay: .seconds(1))
            defer { proxy.stop() }
            try await withTemporaryDirectory { dir in
                let inbox = ConsoleInbox()
                try await RegistryClient.with(RegistryClientConfiguration(), credentials: .anonymous) { client in
                    let driver = HomeConsoleDriver(
                        client: client, config: nil, configError: nil, listings: [], state: StateDirectory(root: dir.url), caBundle: nil,
                        configPath: dir.path + "/gantry.yaml", inbox: inbox)
                    let (slow, fast) = ("\(proxy.host)/acme/app:1", "\(registry.host)/acme/app:1")
                    await driver.handle(.audit(reference: slow))
                    await driver.handle(.audit(reference: fast))
                    var results: [AuditViewModel] = []
                    try await poll("the second audit's result") {
                        results += inbox.drain().compactMap { if case .audit(let model) = $0, !model.isLoading { model } else { nil } }
                        return results.contains { $0.reference.contains(fast) }
                    }
                    // Ends every audit still running (the slow one, cancelled or answering late).
                    await driver.stop()
                    results += inbox.drain().compactMap { if case .audit(let model) = $0, !model.isLoading { model } else { nil } }
                    #expect(results.map(\.reference).allSatisfy { $0.contains(fast) }, "\(results.map(\.reference))")
                }
            }
        }
    }
}
