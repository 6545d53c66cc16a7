import ArgumentParser
import Foundation
import GantryEngine

/// `gantry publish`: publishes digests that already exist in the registries.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish platform digests that already exist: from a release's or build's journal, buildx metadata files, a CI digests folder, or given explicitly.",
        discussion: """
            This repairs a failed CI merge job, or a tag that a last-finishing build overwrote with one platform:
              gantry publish RELEASE-ID
              gantry publish --release-version 3.14.1 --from-metadata amd64.json arm64.json
              gantry publish --release-version 3.14.1 --from-digests /tmp/digests      (a CI run's digests, or its digests-* artifacts)
              gantry publish --release-version 3.14.1 --digest linux/amd64=sha256:... --digest linux/arm64=sha256:...
            A digests folder holds one file per platform build named by its digest (<hex> or sha256:<hex>), \
            directly or in subfolders (downloaded artifacts digests-linux-amd64/...); each platform is read \
            from the registry. A digest some registry lacks is copied there from one that holds it.
            A release ID publishes the index that release confirmed, byte for byte (its revision and creation \
            time, never today's), or, when it confirmed none, an index of its digests with its own annotations.
            The pending tag set is shown and confirmed as for a release; the publication has a journal of its own.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var choices: PublishChoiceOptions
    @OptionGroup var output: FlowOutputOptions
    @OptionGroup var trust: CABundleOption

    @Argument(help: "A release or build id whose digests to publish (see `gantry journal list`).")
    var id: String?

    // Not --version: every gantry command has the built-in --version (Gantry's own version).
    @Option(help: ArgumentHelp("The version the tags come from (required with --from-metadata, --from-digests and --digest).", valueName: "version"))
    var releaseVersion: String?

    @Option(name: .customLong("from-metadata"), parsing: .upToNextOption, help: ArgumentHelp("buildx --metadata-file outputs (build or bake), one per platform.", valueName: "file"))
    var metadataFiles: [String] = []

    @Option(name: .customLong("from-digests"), parsing: .upToNextOption, help: ArgumentHelp("CI digests: folders (walked into subfolders) or files named by each platform's digest, such as the digests-* artifacts of `gantry ci github`.", valueName: "path"))
    var digestPaths: [String] = []

    @Option(name: .customLong("digest"), help: ArgumentHelp("A platform's digest (repeatable).", valueName: "os/arch[/variant]=sha256:..."))
    var digests: [String] = []

    func validate() throws {
        let given = [id != nil, !metadataFiles.isEmpty, !digestPaths.isEmpty, !digests.isEmpty].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of: a release ID, --from-metadata FILE..., --from-digests PATH..., or --digest PLATFORM=DIGEST...") }
        if id == nil && releaseVersion == nil { throw ValidationError("--release-version is required with --from-metadata, --from-digests and --digest") }
    }

    func run() async throws {
        let config = try await options.loadConfig()
        let version = try releaseVersion.map(parseVersion)
        if config.releasesFamily { return try await publishFamily(config, version: version) }
        let flowOptions = FlowOptions(
            publisher: choices.publisher, allowPartial: try choices.partialPlatforms(), allowDowngrade: choices.allowDowngrade,
            allowVersionRewrite: choices.allowVersionRewrite)
        if let id {
            // What the journal confirmed is published again as it is: same annotations, same bytes.
            let journaled = try JournalSources.of(ReleaseID(id), in: options.state)
            guard let version = version ?? journaled.version else { throw ValidationError("the journal has no version; pass --release-version") }
            try await FlowFrontEnd.run(.republish(config, version, journaled, flowOptions), state: options.state, trust: trust, output: output)
            return
        }
        let sources: [PlatformSource]
        if let origin = importOrigin {
            let configuration = try RegistryClientConfiguration(registries: config.registries, caBundle: trust.caBundle)
            sources = try await RegistryClient.with(configuration) { client in try await origin.sources(config: config, client: client) }
        } else {
            sources = try digests.map { argument in
                do { return try PlatformSource.parse(argument) } catch { throw ValidationError("\(error)") }
            }
        }
        guard let version else { throw ValidationError("--release-version is required") }
        try await FlowFrontEnd.run(.publish(config, version, sources: sources, flowOptions), state: options.state, trust: trust, output: output)
    }

    /// A family's CI digests (`--from-digests`, each file naming its image) published as one
    /// family release: one pending set, every index staged before any tag moves, one journal.
    private func publishFamily(_ config: ReleaseConfig, version: SemanticVersion?) async throws {
        guard !digestPaths.isEmpty, let version else {
            throw ValidationError("\(config.source) is a family of images: publish its CI digests with --release-version V --from-digests PATH... (each digest file names its image, as the workflow of `gantry ci github` writes them); a release ID, --from-metadata and --digest give one image's")
        }
        let partial = try choices.familyPartialPlatforms()
        let family = try await ImageFamily.resolving(config, environment: ProcessInfo.processInfo.environment)
        let configuration = try RegistryClientConfiguration(registries: config.registries, caBundle: trust.caBundle)
        let paths = digestPaths.map { URL(fileURLWithPath: $0) }
        let sources = try await RegistryClient.with(configuration) { client in try await FamilyDigestImport(client: client).sources(paths: paths, family: family) }
        let flow = FlowOptions(allowDowngrade: choices.allowDowngrade, allowVersionRewrite: choices.allowVersionRewrite)
        try await FamilyFrontEnd.run(.publish(config, version, sources: sources, FamilyOptions(flow: flow, allowPartial: partial)), state: options.state, trust: trust, output: output)
    }

    /// `--from-metadata` or `--from-digests`, when given.
    private var importOrigin: PlatformSourceImport? {
        if !metadataFiles.isEmpty { return .metadataFiles(metadataFiles.map { URL(fileURLWithPath: $0) }) }
        if !digestPaths.isEmpty { return .digests(digestPaths.map { URL(fileURLWithPath: $0) }) }
        return nil
    }
}
