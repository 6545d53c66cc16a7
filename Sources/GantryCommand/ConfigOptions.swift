import ArgumentParser
import Foundation
import GantryEngine

/// `--state-dir`, for the commands that work from journals alone.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where releases are journaled.", discussion: "Default: $XDG_STATE_HOME/gantry, else ~/.local/state/gantry.", valueName: "path"))
    var stateDir: String?

    var state: StateDirectory { StateDirectory(explicit: stateDir) }
}

/// `--config` and `--state-dir`, shared by every command that reads a release config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The release config.", discussion: "Default: $GANTRY_CONFIG, else ./gantry.yaml.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where releases are journaled.", discussion: "Default: $XDG_STATE_HOME/gantry, else ~/.local/state/gantry.", valueName: "path"))
    var stateDir: String?

    /// The config path after `--config`, then `GANTRY_CONFIG`, then `./gantry.yaml`.
    var configPath: String {
        if let config { return config }
        if let env = ProcessInfo.processInfo.environment["GANTRY_CONFIG"], !env.isEmpty { return env }
        return ReleaseConfigLoader.defaultPath
    }

    var state: StateDirectory { StateDirectory(explicit: stateDir) }

    /// The config, with its platforms read from its Bake target when it leaves them out.
    func loadConfig() async throws -> ReleaseConfig {
        try await ReleaseConfigLoader.load(path: configPath).resolvingBakePlatforms()
    }

    /// The config of a command that acts on one image: a family's config (`images:` or a Bake
    /// group) is refused, naming what does release it, rather than acting on its top-level image alone.
    func loadSingleImageConfig(for command: String) async throws -> ReleaseConfig {
        let config = try await loadConfig()
        if config.releasesFamily {
            throw ValidationError("\(config.source) is a family of images; `gantry \(command)` acts on one image and does not know families: `gantry release VERSION` builds and publishes the family as one")
        }
        return config
    }

    /// The config when one is in place: named (`--config`, `GANTRY_CONFIG`; then it must
    /// load), else `./gantry.yaml` when it exists; nil otherwise.
    func loadConfigIfPresent() async throws -> ReleaseConfig? {
        let named = config != nil || !(ProcessInfo.processInfo.environment["GANTRY_CONFIG"] ?? "").isEmpty
        guard named || FileManager.default.fileExists(atPath: configPath) else { return nil }
        return try await loadConfig()
    }
}

/// Parses a VERSION argument (`3.14.1`, `v3.14.1`, `3.15.0-rc.1`).
func parseVersion(_ text: String) throws -> SemanticVersion {
    do { return try SemanticVersion.parse(text) } catch {
        throw ValidationError("\(error.description)")
    }
}

/// Parses a platform given to `option` (`--platform`, `--allow-partial`).
func parsePlatform(_ text: String, option: String) throws -> Platform {
    do { return try Platform.parse(text) } catch { throw ValidationError("\(option) \(text): \(error.reason)") }
}

/// `--builder` and `--revision`, shared by the commands that build.
struct BuildOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Use this builder instead of the config's.", valueName: "auto|buildx|buildah"))
    var builder: BuilderChoice?

    @Option(help: "The source revision for org.opencontainers.image.revision (default: $GITHUB_SHA, else git HEAD of the build context).")
    var revision: String?

}
