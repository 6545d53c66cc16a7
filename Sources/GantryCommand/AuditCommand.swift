import ArgumentParser
import Foundation
import GantryEngine

/// `gantry audit`: what tags point to right now, in every registry, and whether they are whole.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show what tags point to in every registry, and whether each is a whole multi-platform release.",
        discussion: """
            gantry audit REF...                         audit references (docker.io/acme/app:3.14)
            gantry audit --config F --release-version V audit every tag release V touches, in every registry
            gantry audit REPO --tags                    list a repository's tags grouped by digest
            With a release config in place (--config, $GANTRY_CONFIG, ./gantry.yaml), a REF of the configured \
            image is expected to hold the config's platforms, and the same tag in the other configured \
            registries is audited too. Without one, a single manifest is compared with the repository's \
            release tags (semver tags sharing an index): when those are multi-platform, it is not-an-index. \
            Each problem gets one repair command, whichever registries it touches.
            --key verifies, as cosign verify --key: the tag's digest needs a signature that verifies with it.
            Exit status: 0 clean, 1 findings, 2 errors (bad input, or an incomplete audit: a registry \
            could not be asked, or something a verdict needed could not be read).
            """
    )

    @Argument(help: ArgumentHelp("Image references, or repositories with --tags.", valueName: "ref"))
    var references: [String] = []

    @OptionGroup var options: ConfigOptions

    // Not --version: every gantry command has the built-in --version (Gantry's own version).
    @Option(help: ArgumentHelp("Audit the tags this release version publishes (with the config).", valueName: "version"))
    var releaseVersion: String?

    @Option(name: .customLong("expect-platform"), help: ArgumentHelp(
        "A platform every tag must have (repeatable). Alone, a minimum: other platforms are not reported as extra. With the config (--release-version, or a REF of the configured image) it replaces the config's platforms as the full set, and extra ones are reported.",
        valueName: "os/arch[/variant]"))
    var expectedPlatforms: [String] = []

    @Option(help: ArgumentHelp("A cosign public key (ECDSA P-256 PEM, as cosign.pub): verify every signature found with it; the tag's digest must carry one that verifies.", valueName: "path"))
    var key: String?

    @Flag(help: "Require a good cosign signature on every tag's digest (as require: {signed: true} does with --release-version).")
    var requireSigned = false

    @Flag(help: "List every tag of each repository, grouped by the digest it points to.")
    var tags = false

    @Flag(help: "Print JSON (a top-level \"results\" array; \"repositories\" with --tags).")
    var json = false

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        do {
            try await audit()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Errors exit 2 (findings exit 1), as documented.
            OutputStream.standardError.text("gantry audit: \(error)")
            throw ExitCode(2)
        }
    }

    private func audit() async throws {
        let expectation = try expectedPlatforms.map { text throws(PlatformError) in try Platform.parse(text) }
        let signatureKey = try key.map { path throws(SignatureKeyError) in try SignatureKey.load(path: path) }
        let auditor = { (client: RegistryClient) in Auditor(client: client, signatureKey: signatureKey) }
        if tags {
            guard !references.isEmpty else { throw ValidationError("--tags needs at least one repository") }
            let repositories = try references.map { text throws(ReferenceError) in try ImageReference.parseRepository(text) }
            let registries = try await options.loadConfigIfPresent()?.registries ?? []
            let listings = try await registry.withClient(registries: registries, concurrency: Auditor.listingConcurrency) { client in
                var listings: [TagListing] = []
                for repository in repositories { listings.append(try await Auditor(client: client).listTags(repository)) }
                return listings
            }
            json ? OutputStream.standardOutput.raw(try JSONOutput.encode(TagListingOutput(repositories: listings))) : OutputStream.standardOutput.text(AuditText.render(listings))
            if listings.contains(where: { $0.groups.contains { !$0.findings.isEmpty } }) { throw ExitCode(1) }
            return
        }
        let report: AuditReport
        if references.isEmpty {
            guard let releaseVersion else {
                throw ValidationError("give image references, or --release-version V to audit the release tags of the config")
            }
            let version = try parseVersion(releaseVersion)
            // A Bake group's images are read from the Bake file, as a release reads them.
            var config = try await ImageFamily.resolvingBakeGroup(try await options.loadConfig())
            if !expectation.isEmpty { config.platforms = expectation.map { PlatformTarget(platform: $0) } }
            if requireSigned { config.requirements.signed = true }
            _ = try TagSet.checked(config, version: version)
            report = try await registry.withClient(registries: config.registries) { client in
                await withRepairs(await auditor(client).audit(config: config, version: version), client: client, config: config)
            }
        } else {
            let config = try await options.loadConfigIfPresent()
            // Read as the console reads them: a bare tag or the configured image without a registry means the configured image.
            let parsed = try references.map { text throws(ReferenceError) in try AuditScope.reference(text, config: config) }
            var scope = AuditScope(references: parsed, config: config, platforms: expectation)
            if requireSigned { for i in scope.targets.indices { scope.targets[i].expectation.requiresSignature = true } }
            report = try await registry.withClient(registries: config?.registries ?? []) { client in
                await withRepairs(await auditor(client).audit(scope.targets), client: client, config: config)
            }
        }
        json ? OutputStream.standardOutput.raw(try JSONOutput.encode(report)) : OutputStream.standardOutput.text(AuditText.render(report))
        if report.isIncomplete { throw ExitCode(2) }
        if !report.findings.isEmpty { throw ExitCode(1) }
    }

    /// Adds repair suggestions from the journals in the state folder, the repository's other
    /// tags and the other registries.
    private func withRepairs(_ report: AuditReport, client: RegistryClient, config: ReleaseConfig?) async -> AuditReport {
        var report = report
        let advice = await RepairAdvisor(client: client).advice(for: report, state: options.state, config: config)
        // The audit stands without the journals; say why their repairs are missing.
        for warning in advice.warnings { OutputStream.standardError.text("gantry audit: warning: \(warning)") }
        report.repairs = advice.suggestions
        report.skippedJournals = advice.skippedJournals
        return report
    }
}

/// `--tags --json` output.
struct TagListingOutput: Encodable {
    var repositories: [TagListing]
}
