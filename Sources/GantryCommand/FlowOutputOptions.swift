import ArgumentParser
import Foundation
import GantryEngine

/// How a flow talks to the user: the console, plain lines or JSON, and whether to ask.
struct FlowOutputOptions: ParsableArguments {
    @Flag(help: "Publish without asking (required when there is no terminal).")
    var yes = false

    @Flag(help: "Plain lines instead of the console.")
    var noTui = false

    @Flag(help: "One JSON event per line.")
    var json = false

    /// The console runs when both ends are a terminal and no plain mode was asked for.
    var usesConsole: Bool {
        !noTui && !json && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }
}

/// `--allow-downgrade` and `--allow-version-rewrite`, for every command that moves tags.
struct TagMoveOptions: ParsableArguments {
    @Flag(help: "Let moving tags (latest, 3, 3.14) move to a lower version than they point at now.")
    var allowDowngrade = false

    @Flag(help: "Let a full-version tag (3.14.1) that is published already get other bytes (asks for the typed version).")
    var allowVersionRewrite = false
}

/// The choices of a new publication: publisher, partial sets, downgrades, version rewrites.
struct PublishChoiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Publish with this publisher instead of the config's.", valueName: "auto|imagetools|native"))
    var publisher: PublisherChoice?

    @Option(name: .customLong("allow-partial"), help: ArgumentHelp("Publish without this platform (repeatable; each missing platform must be named).", valueName: "os/arch[/variant]"))
    var allowPartial: [String] = []

    @OptionGroup var moves: TagMoveOptions
    var allowDowngrade: Bool { moves.allowDowngrade }
    var allowVersionRewrite: Bool { moves.allowVersionRewrite }

    func partialPlatforms() throws -> Set<Platform> {
        Set(try allowPartial.map { try parsePlatform($0, option: "--allow-partial") })
    }

    /// A family's choices: `--allow-partial IMAGE:PLATFORM` by image, and `--publisher
    /// imagetools` refused (a family is published by Gantry itself).
    func familyPartialPlatforms() throws -> [String: Set<Platform>] {
        if publisher == .imagetools {
            throw ValidationError("--publisher imagetools: a family is published by Gantry itself (imagetools cannot push an index without moving a tag)")
        }
        var partial: [String: Set<Platform>] = [:]
        for text in allowPartial {
            do {
                let (member, platform) = try FamilyOptions.partial(text)
                partial[member, default: []].insert(platform)
            } catch { throw ValidationError("--allow-partial \(error.description)") }
        }
        return partial
    }
}
