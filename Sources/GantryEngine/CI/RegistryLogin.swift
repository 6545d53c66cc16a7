/// How a generated workflow logs in to each registry: GHCR with the job's own token,
/// Docker Hub and other registries with repository variables and secrets named after
/// the host. Plain-HTTP registries (loopback, `insecure: true`) get no login.
struct RegistryLogin {
    var host: String
    /// `docker/login-action` inputs, in order.
    var inputs: [(String, String)]

    init?(_ registry: RegistryTarget) {
        guard !registry.usesPlainHTTP else { return nil }
        host = registry.host
        switch registry.host {
        case "docker.io":
            inputs = [("username", "${{ vars.DOCKERHUB_USERNAME }}"), ("password", "${{ secrets.DOCKERHUB_TOKEN }}")]
        case "ghcr.io":
            inputs = [("registry", "ghcr.io"), ("username", "${{ github.actor }}"), ("password", "${{ secrets.GITHUB_TOKEN }}")]
        default:
            let name = Self.variablePrefix(registry.host)
            inputs = [("registry", registry.host), ("username", "${{ vars.\(name)_USERNAME }}"), ("password", "${{ secrets.\(name)_PASSWORD }}")]
        }
    }

    /// `quay.io` → `QUAY_IO`: the prefix of the variable and secret holding its login.
    static func variablePrefix(_ host: String) -> String {
        String(host.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Whether a job pushing to `registries` needs `packages: write` (GHCR's token).
    static func needsPackagesWrite(_ registries: [RegistryTarget]) -> Bool {
        registries.contains { $0.host == "ghcr.io" }
    }
}
