/// Resolves the `auto` builder: buildx when `docker buildx version` works, else buildah.
public enum BuilderDetection {
    public static func resolve(_ choice: BuilderChoice, docker: String = "docker", environment: [String: String] = [:]) async -> BuilderChoice {
        guard choice == .auto else { return choice }
        return await buildxWorks(docker: docker, environment: environment) ? .buildx : .buildah
    }

    /// Whether `docker buildx version` exits 0 (false when docker is not on PATH).
    public static func buildxWorks(docker: String = "docker", environment: [String: String] = [:]) async -> Bool {
        let probe = ChildProcess(docker, ["buildx", "version"], environment: environment, gracePeriod: .seconds(2))
        guard let exit = try? await probe.run(onLine: { _ in }) else { return false }
        return exit.succeeded
    }
}
