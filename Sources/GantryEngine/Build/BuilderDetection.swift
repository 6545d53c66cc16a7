/// Resolves the `auto` builder: buildx when `docker buildx version` works, else buildah.
public enum BuilderDetection {
    public static func resolve(_ choice: BuilderChoice, docker: String = "docker", environment: [String: String] = [:]) async -> BuilderChoice {
        guard choice == .auto else { return choice }
        return await buildxWorks(docker: docker, environment: environment) ? .buildx : .buildah
    }

    /// Whether `docker buildx version` exits 0 (false when docker is not on PATH).
    public static func buildxWorks(docker: String = "docker", environment: [String: String] = [:]) async -> Bool {
        await runs(docker, ["buildx", "version"], environment: environment)
    }

    /// Whether `buildah version` exits 0 (false when buildah is not on PATH).
    public static func buildahWorks(buildah: String = "buildah", environment: [String: String] = [:]) async -> Bool {
        await runs(buildah, ["version"], environment: environment)
    }

    private static func runs(_ executable: String, _ arguments: [String], environment: [String: String]) async -> Bool {
        let probe = ChildProcess(executable, arguments, environment: environment, gracePeriod: .seconds(2))
        // A tool that cannot be started does not work: that is the answer asked for.
        guard let exit = try? await probe.run(onLine: { _ in }) else { return false }
        return exit.succeeded
    }
}
