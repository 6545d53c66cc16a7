import Yams

/// A GitHub Actions workflow that releases the config the way Docker's "distribute builds
/// across runners" recipe does, with Gantry's rules: a `v*` tag push or a manual run with a
/// version; one build job per platform (a native runner where GitHub has one, else QEMU)
/// pushing by digest, no tag, to every registry at once and uploading its metadata file and
/// digest; then one merge job running, per registry, the `imagetools create` that
/// `gantry plan` prints for that version, and reading every tag back.
///
/// A family's (Family/) builds every image × platform, each digest file naming its image,
/// and its publish job runs Gantry itself, pinned by digest: `gantry publish --from-digests`
/// gives the CI release the family's one pending set, staging of every index before any tag,
/// the downgrade hold and a journal, kept as an artifact.
public struct GitHubWorkflow: Sendable {
    public let config: ReleaseConfig
    /// A family's images, each with its own config; empty for one image.
    public let family: [FamilyMember]
    /// The Gantry a family's publish job runs.
    public let gantry: GantryDownload?
    /// Where the file goes (`.github/workflows/release.yml`).
    public static let defaultPath = ".github/workflows/release.yml"
    /// The deployment environment of the jobs that hold registry secrets: protection rules
    /// (reviewers, tag patterns) set on it in GitHub guard every release.
    public static let environment = "release"

    /// `config` must list its platforms (resolve a Bake target's first).
    public init(config: ReleaseConfig) {
        self.config = config
        family = []
        gantry = nil
    }

    /// The workflow of `family` (its Bake group and platforms resolved), published by `gantry`.
    public init(family: ImageFamily, gantry: GantryDownload) {
        config = family.config
        self.family = family.members
        self.gantry = gantry
    }

    /// What the build jobs build: each member (none named for one image) with its config.
    private var images: [(name: String?, config: ReleaseConfig)] {
        family.isEmpty ? [(nil, config)] : family.map { ($0.name, $0.config) }
    }

    /// The matrix field that names a job's artifacts: the platform for one image, the image and platform in a family.
    private var artifactField: String { family.isEmpty ? "slug" : "artifact" }

    /// The workflow as YAML, with a header saying where it came from.
    public func yaml() throws -> String {
        let body = try Yams.serialize(node: workflow, width: -1)
        // YAML emitters drop comments; the release each pin stands for, and why each
        // permission is there, go beside them.
        let comments = PinnedAction.all.map { ("uses: \($0.reference)\n", "uses: \($0.reference) # \($0.release)\n") } + [
            ("contents: read\n", "contents: read # check out the " + (family.isEmpty ? "build context" : "repository (build context, config)") + "\n"),
            ("packages: write\n", "packages: write # push to ghcr.io with the job's token\n"),
        ]
        let pinned = comments.reduce(body) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        if !family.isEmpty {
            return """
                # Written by `gantry ci github` from \(config.source); write it again after changing the config.
                # A family of \(family.count) images: each build job pushes one image's platform by digest, with no tag,
                # and leaves a digest file naming its image. The publish job runs Gantry (pinned by sha256):
                # `gantry publish --from-digests` shows one pending set of every image, pushes every index by
                # digest before any tag moves, and keeps its journal as the gantry-journal artifact. If it
                # fails, finish from a machine with the same command on the run's digests-* artifacts.

                """ + pinned
        }
        return """
            # Written by `gantry ci github` from \(config.source); write it again after changing the config.
            # Each build job pushes one platform by digest, with no tag; the publish job then runs, per
            # registry, the `docker buildx imagetools create` that `gantry plan VERSION` prints: every
            # tag and every digest at once, never --append. If it fails, finish the release from a
            # machine with `gantry publish --release-version VERSION --from-digests digests-*` (the
            # run's digests-* artifacts) or `--from-metadata metadata-*/*.json`.

            """ + pinned
    }

    private var scripts: WorkflowScripts { WorkflowScripts(config: config) }
    private var matrix: BuildMatrix { BuildMatrix(platforms: images.flatMap(\.config.platforms)) }

    private var workflow: Node {
        map([
            ("name", "release"),
            ("on", map([
                ("push", map([("tags", seq(["v*"]))])),
                ("workflow_dispatch", map([("inputs", map([("version", map([
                    ("description", "The version to release (semver, such as 3.14.1; a leading v is stripped)"),
                    ("required", bool(true)), ("type", "string"),
                ]))]))])),
            ])),
            ("permissions", map([])),
            // One release at a time: two merge jobs must never race for the same tags.
            ("concurrency", map([("group", "gantry-release"), ("cancel-in-progress", bool(false))])),
            ("jobs", map([("version", versionJob), ("build", buildJob), ("publish", publishJob)])),
        ])
    }

    private var versionJob: Node {
        let outputs = ["version", "tag-version", "major", "minor", "patch", "prerelease", "created"]
        return map([
            ("name", "Version"),
            ("runs-on", Node(BuildMatrix.emulatingRunner)),
            ("permissions", map([])),
            ("outputs", map(outputs.map { ($0, Node("${{ steps.version.outputs.\($0) }}")) })),
            ("steps", seq([map([
                ("name", "Check the version"), ("id", "version"),
                ("env", map([(WorkflowScripts.requestedVersion, "${{ inputs.version || github.ref_name }}")])),
                ("run", literal(scripts.parseVersion)),
            ])])),
        ])
    }

    private var buildJob: Node {
        var steps: [Node] = [
            step("Check out", .checkout, with: [("persist-credentials", bool(false))]),
        ]
        if matrix.needsEmulation {
            let native = BuildMatrix.nativeRunners.keys.map(\.description).sorted()
            steps.append(step(
                "Set up QEMU", .setupQEMU, with: [("platforms", "${{ matrix.platform }}")],
                condition: native.map { "matrix.platform != '\($0)'" }.joined(separator: " && ")))
        }
        let namesBuilders = matrix.include.contains { $0.builder != nil }
        steps.append(step("Set up Buildx", .setupBuildx, with: namesBuilders ? [("name", "${{ matrix.builder }}")] : []))
        steps += logins
        // A family's job builds the image its matrix entry names: one step per image, each its own config's.
        for image in images {
            let scripts = WorkflowScripts(config: image.config)
            let only = image.name.map { "matrix.image == '\($0)'" }
            steps.append(map(condition(only) + [
                ("name", Node("Build \(image.name.map { "\($0) " } ?? "")${{ matrix.platform }} and push it by digest")),
                ("env", map([
                    (WorkflowScripts.version, "${{ needs.version.outputs.version }}"),
                    (WorkflowScripts.platform, "${{ matrix.platform }}"),
                ])),
                ("run", literal(scripts.build)),
            ]))
            var exportEnv: [(String, Node)] = [(WorkflowScripts.platform, "${{ matrix.platform }}"), (WorkflowScripts.slug, "${{ matrix.slug }}")]
            // The image is written literally, not read from the matrix: a step's script never expands a context.
            if let name = image.name { exportEnv.append((WorkflowScripts.image, Node(name))) }
            steps.append(map(condition(only) + [
                ("name", Node("Export the digest" + (image.name.map { " of \($0)" } ?? ""))),
                ("env", map(exportEnv)),
                ("run", literal(scripts.exportDigest(naming: image.name != nil))),
            ]))
        }
        steps.append(step("Upload the metadata file", .uploadArtifact, with: [
            ("name", Node("metadata-${{ matrix.\(artifactField) }}")), ("path", "${{ runner.temp }}/gantry/metadata/${{ matrix.slug }}.json"),
            ("if-no-files-found", "error"), ("retention-days", int(7)),
        ]))
        steps.append(step("Upload the digest", .uploadArtifact, with: [
            ("name", Node("digests-${{ matrix.\(artifactField) }}")), ("path", "${{ runner.temp }}/gantry/digests/*"),
            ("if-no-files-found", "error"), ("retention-days", int(7)),
        ]))
        return map([
            ("name", Node(family.isEmpty ? "Build ${{ matrix.platform }}" : "Build ${{ matrix.image }} ${{ matrix.platform }}")),
            ("needs", "version"),
            ("runs-on", "${{ matrix.runner }}"),
            ("environment", Node(Self.environment)),
            ("permissions", permissions(contents: true)),
            ("strategy", map([("fail-fast", bool(false)), ("matrix", matrixNode)])),
            ("steps", seq(steps)),
        ])
    }

    private var publishJob: Node {
        if let gantry { return familyPublishJob(gantry) }
        var steps: [Node] = [
            step("Download the digests", .downloadArtifact, with: [
                ("pattern", "digests-*"), ("path", "${{ runner.temp }}/gantry/digests"),
            ]),
            step("Set up Buildx", .setupBuildx),
        ]
        steps += logins
        let env = map([
            (WorkflowScripts.version, "${{ needs.version.outputs.version }}"),
            (WorkflowScripts.tagVersion, "${{ needs.version.outputs.tag-version }}"),
            (WorkflowScripts.major, "${{ needs.version.outputs.major }}"),
            (WorkflowScripts.minor, "${{ needs.version.outputs.minor }}"),
            (WorkflowScripts.patch, "${{ needs.version.outputs.patch }}"),
            (WorkflowScripts.prerelease, "${{ needs.version.outputs.prerelease }}"),
            (WorkflowScripts.created, "${{ needs.version.outputs.created }}"),
        ])
        for repository in config.repositories {
            steps.append(map([
                ("name", Node("Publish \(repository.name) and verify every tag")),
                ("env", env),
                ("run", literal(scripts.publish(repository))),
            ]))
        }
        return publishJob(steps, checksOut: false)
    }

    /// A family's publish job: the config checked out, every digest file downloaded, Gantry
    /// installed (its sha256 checked) and run once for every image and registry; its journal
    /// is uploaded whatever happened, for `gantry journal show` and a resume from a machine.
    private func familyPublishJob(_ gantry: GantryDownload) -> Node {
        var steps: [Node] = [
            step("Check out the config", .checkout, with: [("persist-credentials", bool(false))]),
            step("Download the digests", .downloadArtifact, with: [
                ("pattern", "digests-*"), ("path", "${{ runner.temp }}/gantry/digests"),
            ]),
        ]
        steps += logins
        steps.append(map([("name", "Install Gantry (pinned by sha256)"), ("run", literal(scripts.installGantry(gantry)))]))
        steps.append(map([
            ("name", "Publish every image with Gantry"),
            ("env", map([(WorkflowScripts.version, "${{ needs.version.outputs.version }}")] + signingSecret)),
            ("run", literal(scripts.publishFamily)),
        ]))
        steps.append(step("Upload Gantry's journal", .uploadArtifact, with: [
            ("name", "gantry-journal"), ("path", "${{ runner.temp }}/gantry/state"), ("include-hidden-files", bool(true)),
            ("if-no-files-found", "warn"), ("retention-days", int(90)),
        ], condition: "always()"))
        return publishJob(steps, checksOut: true)
    }

    /// The publish job around `steps`, after every build, holding the registries' secrets.
    private func publishJob(_ steps: [Node], checksOut: Bool) -> Node {
        map([
            ("name", "Publish"),
            ("needs", seq(["version", "build"])),
            ("runs-on", Node(BuildMatrix.emulatingRunner)),
            ("environment", Node(Self.environment)),
            ("permissions", permissions(contents: checksOut)),
            ("steps", seq(steps)),
        ])
    }

    /// `sign: {key-env: NAME}`: the publish step gets the key from the repository secret of
    /// that name (a key file in the repository would be a key in every clone).
    private var signingSecret: [(String, Node)] {
        guard case .environment(let name) = config.signing else { return [] }
        return [(name, Node("${{ secrets.\(name) }}"))]
    }

    /// `if:` when a step runs only for one matrix entry's image.
    private func condition(_ expression: String?) -> [(String, Node)] { expression.map { [("if", Node($0))] } ?? [] }

    private var logins: [Node] {
        config.registries.compactMap(RegistryLogin.init).map { login in
            step("Log in to \(login.host)", .login, with: login.inputs.map { ($0.0, Node($0.1)) })
        }
    }

    private var matrixNode: Node {
        let artifacts = FamilyArtifactNames(family.map(\.name))
        return map([("include", seq(images.flatMap { image in
            BuildMatrix(platforms: image.config.platforms).include.map { entry in
                var fields: [(String, Node)] = []
                if let name = image.name { fields.append(("image", Node(name))) }
                fields += [("platform", Node(entry.platform.description)), ("slug", Node(entry.slug))]
                if let name = image.name { fields.append(("artifact", Node(artifacts.name(of: name) + "-" + entry.slug))) }
                fields.append(("runner", Node(entry.runner)))
                if let builder = entry.builder { fields.append(("builder", Node(builder))) }
                return map(fields)
            }
        }))])
    }

    /// The least a job needs: reading the repository when it checks it out, writing
    /// packages when it pushes to GHCR.
    private func permissions(contents: Bool) -> Node {
        var fields: [(String, Node)] = []
        if contents { fields.append(("contents", "read")) }
        if RegistryLogin.needsPackagesWrite(config.registries) { fields.append(("packages", "write")) }
        return map(fields)
    }

    private func step(_ name: String, _ action: PinnedAction, with inputs: [(String, Node)] = [], condition: String? = nil) -> Node {
        var fields: [(String, Node)] = [("name", Node(name))]
        if let condition { fields.append(("if", Node(condition))) }
        fields.append(("uses", Node(action.reference)))
        if !inputs.isEmpty { fields.append(("with", map(inputs))) }
        return map(fields)
    }

    // MARK: - YAML nodes

    private func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }

    private func seq(_ items: [Node]) -> Node { .sequence(Node.Sequence(items)) }
    private func literal(_ text: String) -> Node { .scalar(Node.Scalar(text, .implicit, .literal)) }
    private func bool(_ value: Bool) -> Node { .scalar(Node.Scalar(value ? "true" : "false", Tag(.bool))) }
    private func int(_ value: Int) -> Node { .scalar(Node.Scalar(String(value), Tag(.int))) }
}
