import ArgumentParser
import Foundation
import GantryEngine

/// `gantry publish`: publishes digests that already exist in the registries.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish platform digests that already exist: from a release's journal, from buildx metadata files, or given explicitly.",
        discussion: """
            This repairs a failed CI merge job, or a tag that a last-finishing build overwrote with one platform:
              gantry publish RELEASE-ID
              gantry publish --version 3.14.1 --from-metadata amd64.json arm64.json
              gantry publish --version 3.14.1 --digest linux/amd64=sha256:... --digest linux/arm64=sha256:...
            The pending tag set is shown and confirmed as for a release; the publication is journaled.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var publishing: PublishingOptions

    @Argument(help: "A release id whose built digests to publish (see `gantry journal list`), or the folder name `gantry build` printed.")
    var id: String?

    @Option(help: "The version the tags come from (required with --from-metadata and --digest).")
    var version: String?

    @Option(name: .customLong("from-metadata"), parsing: .upToNextOption, help: ArgumentHelp("buildx --metadata-file outputs (build or bake), one per platform.", valueName: "file"))
    var metadataFiles: [String] = []

    @Option(name: .customLong("digest"), help: ArgumentHelp("A platform's digest (repeatable).", valueName: "os/arch[/variant]=sha256:..."))
    var digests: [String] = []

    func validate() throws {
        let given = [id != nil, !metadataFiles.isEmpty, !digests.isEmpty].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of: a release ID, --from-metadata FILE..., or --digest PLATFORM=DIGEST...") }
        if id == nil && version == nil { throw ValidationError("--version is required with --from-metadata and --digest") }
    }

    func run() async throws {
        let config = try options.loadConfig()
        let toolchain = await ReleaseToolchain.make(config: config, publisher: publishing.publisher)
        defer { Task { try? await toolchain.client.shutdown() } }
        let store = JournalStore(state: options.state)
        var version = try version.map(parseVersion)
        let sources: [PlatformSource]
        if let id {
            let folder = options.state.release(ReleaseID(rawValue: id))
            if !FileManager.default.fileExists(atPath: folder.journal.path),
               FileManager.default.fileExists(atPath: BuildRecord.file(in: folder).path) {
                // A `gantry build` folder: its build record holds the digests.
                let record = try BuildRecord.load(from: folder)
                version = try version ?? parseVersion(record.version)
                sources = record.sources
            } else {
                let source = try store.load(ReleaseID(rawValue: id))
                version = version ?? source.version
                sources = source.results.map { PlatformSource(platform: $0.platform, digest: $0.pushedIndexDigest ?? $0.manifestDigest) }
            }
        } else if !metadataFiles.isEmpty {
            guard let repository = config.repositories.first else { throw ValidationError("\(config.source) names no registry") }
            sources = try await MetadataImport(client: toolchain.client).sources(files: metadataFiles.map { URL(fileURLWithPath: $0) }, repository: repository)
        } else {
            sources = try digests.map { argument in
                do { return try PlatformSource.parse(argument) } catch { throw ValidationError("\(error)") }
            }
        }
        guard let version else { throw ValidationError("the journal has no version; pass --version") }
        let journalID = ReleaseID.make(image: config.image, version: version)
        var journal = ReleaseJournal(
            id: journalID, kind: .publish, image: config.image, version: version, registries: config.registries,
            tags: TagSet(rules: config.tags, flavor: config.flavor, version: version).tags,
            expectedPlatforms: config.platforms.map(\.platform), configPath: config.source)
        for source in sources {
            journal[platform: source.platform] = ReleaseJournal.PlatformRecord(
                platform: source.platform, state: .built, result: BuildResult(platform: source.platform, manifestDigest: source.digest))
        }
        journal.phase = .built
        journal.note("publishing \(sources.count) existing digests")
        let recorder = try JournalRecorder(creating: journal, store: store)
        let session = ReleaseSession(config: config, toolchain: toolchain, recorder: recorder, folder: options.state.release(journalID), revision: nil)
        let output = ReleaseOutput(json: publishing.json)
        output.say("publish \(journalID): \(sources.map { "\($0.platform)=\(Digest.short($0.digest))" }.joined(separator: " "))")
        try await publishing.confirmAndPublish(session, output: output)
    }
}
