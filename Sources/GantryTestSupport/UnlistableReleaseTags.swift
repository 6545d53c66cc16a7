/// The case of an audit that cannot read what it needs: `acme/app:latest` overwritten by a
/// single linux/amd64 manifest while release 1.0.0 is an index of linux/amd64 and
/// linux/arm64, behind a proxy whose `GET /v2/acme/app/tags/list` answers 500 (until the
/// test re-arms it). Runs `body` with the proxy and a registry started for it, both stopped afterwards.
public func withUnlistableReleaseTags<T>(_ body: (FaultInjectingProxy) async throws -> T) async throws -> T {
    try await withRegistry { registry in
        let fixtures = try ImageFixtures()
        defer { fixtures.remove() }
        try await fixtures.pushIndex(platforms: ["linux/amd64", "linux/arm64"], to: ["1.0.0", "latest"].map { "\(registry.host)/acme/app:\($0)" })
        try await fixtures.pushImage(platform: "linux/amd64", to: "\(registry.host)/acme/app:latest")
        let failing = FaultInjectingProxy.Rule(method: "GET", pathContains: "/tags/list", fault: .status(500), times: .max)
        return try await withFaultInjectingProxy(in: registry, [failing], body)
    }
}
