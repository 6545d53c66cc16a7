import ArgumentParser
import Foundation
import GantryEngine

/// `gantry release VERSION`: build → pending tag set → confirm → publish → verify.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Build every platform, show the pending tag set, and publish one index per registry once you confirm.",
        discussion: """
            Every state change is journaled in <state-dir>/releases/<id>/journal.json; an interrupted \
            release continues with `gantry resume`. Exit status: 0 when every tag verified, 1 otherwise.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var publishing: PublishingOptions

    @Argument(help: "The version to release (semver; a leading v is stripped).")
    var version: String

    @OptionGroup var build: BuildOptions

    @Flag(help: "Stop every other build as soon as one platform fails.")
    var failFast = false

    func run() async throws {
        let version = try parseVersion(version)
        let config = try options.loadConfig()
        let toolchain = await ReleaseToolchain.make(config: config, builder: build.builder, publisher: publishing.publisher)
        defer { Task { try? await toolchain.client.shutdown() } }
        let revision = build.revision(for: config)
        let session = try ReleaseSession.start(config: config, version: version, state: options.state, toolchain: toolchain, revision: revision)
        if publishing.usesConsole {
            let plan = ReleasePlan(config: config, version: version, state: options.state, builder: toolchain.builder, publisher: toolchain.publisher, revision: revision)
            let journal = try await ReleaseConsole.run(session: session, plan: plan, allowPartial: try publishing.partialPlatforms(), allowDowngrade: publishing.allowDowngrade, failFast: failFast)
            guard journal?.phase == .verified else { throw ExitCode(1) }
            return
        }
        let output = ReleaseOutput(json: publishing.json)
        output.say("release \(session.folder.id): \(config.image) \(version) with \(toolchain.builder.rawValue) and \(toolchain.publisher.rawValue); journal \(session.folder.journal.path)")
        let journal = try await Interruptible.run { try await session.build(failFast: failFast, onEvent: output.emit) }
        guard journal.phase == .built || !publishing.allowPartial.isEmpty else {
            output.say("builds did not all succeed; nothing was published. Fix and run `gantry resume \(journal.id)`.")
            throw ExitCode(1)
        }
        try await publishing.confirmAndPublish(session, output: output)
    }
}

/// Options shared by the commands that publish: confirmation, partial sets, downgrades, output.
struct PublishingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Publish with this publisher instead of the config's.", valueName: "auto|imagetools|native"))
    var publisher: PublisherChoice?

    @Flag(help: "Publish without asking (required when there is no terminal).")
    var yes = false

    @Flag(help: "Plain lines instead of the console.")
    var noTui = false

    @Flag(help: "One JSON event per line.")
    var json = false

    @Option(name: .customLong("allow-partial"), help: ArgumentHelp("Publish without this platform (repeatable; each missing platform must be named).", valueName: "os/arch[/variant]"))
    var allowPartial: [String] = []

    @Flag(help: "Let moving tags (latest, 3, 3.14) move to a lower version than they point at now.")
    var allowDowngrade = false

    /// The console runs when both ends are a terminal and no plain mode was asked for.
    var usesConsole: Bool {
        !noTui && !json && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    func partialPlatforms() throws -> Set<Platform> {
        Set(try allowPartial.map { try parsePlatform($0, option: "--allow-partial") })
    }

    /// Prepares the pending tag set, shows it, asks, publishes and prints the verification.
    func confirmAndPublish(_ session: ReleaseSession, output: ReleaseOutput) async throws {
        let pending = try await session.prepare(allowPartial: try partialPlatforms(), allowDowngrade: allowDowngrade)
        output.emit(.pending(pending))
        guard try ConfirmPrompt.ask("Publish these tags?", assumeYes: yes) else {
            try await session.decline()
            output.say("not confirmed: nothing was published")
            throw ExitCode(1)
        }
        let journal = try await session.publish(Confirmation(confirming: pending), onEvent: output.emit)
        guard journal.phase == .verified else {
            output.say("not every registry verified; `gantry resume \(journal.id)` continues")
            throw ExitCode(1)
        }
        output.say("published and verified: \(journal.tags.joined(separator: " ")) in \(journal.registries.map(\.host).joined(separator: ", "))")
    }
}
