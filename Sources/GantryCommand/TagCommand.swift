import ArgumentParser
import Foundation
import GantryEngine

/// `gantry tag SOURCE@DIGEST TAG…`: `crane tag`, guarded and journaled.
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Point tags at a manifest by digest (as crane tag), copied by digest to other registries first; guarded and journaled.",
        discussion: """
            gantry tag ghcr.io/acme/app@sha256:… latest
            gantry tag a.example/acme/app@sha256:… latest --to b.example --expect latest=sha256:…
            SOURCE must name a digest, so the tags get exactly those bytes. Without --to the tags \
            move in SOURCE's repository; with --to, in the same repository of each registry named, \
            where SOURCE is copied by digest first (every platform, attestation and blob) when missing. \
            --expect TAG=DIGEST (or TAG=absent) moves the tag only if it points there now (what an \
            audit saw); every tag is also re-checked right before its own write. The pending tag set \
            is shown and confirmed as for a release; the work is journaled as kind `tag`: `gantry \
            resume ID` goes on after an interruption, `gantry rollback ID` points the tags back.
            A registry the release config names (--config, $GANTRY_CONFIG, ./gantry.yaml when present) \
            is reached as configured: its ca:, and HTTPS when it says insecure: false.
            `gantry audit` proposes this command to repair a tag broken in one registry and whole in another.
            Exit status: 0 when every tag verified; 1 declined, a tag that moved (--expect, or since the confirmation), or a registry failed; 2 bad input.
            """
    )

    @Argument(help: ArgumentHelp("The manifest the tags will point to.", valueName: "host/repository@digest"))
    var source: String

    @Argument(help: ArgumentHelp("The tags to point at it.", valueName: "tag"))
    var tags: [String] = []

    @Option(help: ArgumentHelp("A registry to tag in, SOURCE copied there by digest first (repeatable; default: SOURCE's registry).", valueName: "host"))
    var to: [String] = []

    @Option(name: .customLong("expect"), help: ArgumentHelp("Move TAG only if it points to DIGEST now (or does not exist: absent); repeatable.", valueName: "tag=digest|absent"))
    var expected: [String] = []

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Move the tags without asking (needed without a terminal).")
    var yes = false

    @Flag(help: "One JSON event per line.")
    var json = false

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        // A registry the config names is reached as configured (its ca:, HTTPS on loopback).
        let registries = try await options.loadConfigIfPresent()?.registries ?? []
        let request = try TagRequest(
            source: source, tags: tags, to: to, expected: try expected.map { text throws(TagError) in try TagExpectation(parsing: text) },
            configured: registries)
        try await registry.withClient(registries: registries) { client in
            try await TagFrontEnd.run(.tag(request), state: options.state, yes: yes, json: json, client: client)
        }
    }
}
