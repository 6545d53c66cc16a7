/// The shell steps of a generated release workflow. Every command in them is spelled by
/// `BuildxInvocation`, the same code that `gantry plan` prints and releases run, with shell
/// variables standing for what is known only when the workflow runs: the version, its
/// parts, the revision, the creation time and the platform digests.
struct WorkflowScripts {
    let config: ReleaseConfig

    /// Variables the scripts read; anything else that looks like `${...}` is quoted as text.
    static let version = "GANTRY_VERSION"
    static let tagVersion = "GANTRY_TAG_VERSION"
    static let major = "GANTRY_MAJOR"
    static let minor = "GANTRY_MINOR"
    static let patch = "GANTRY_PATCH"
    static let prerelease = "GANTRY_PRERELEASE"
    static let created = "GANTRY_CREATED"
    static let requestedVersion = "GANTRY_REQUESTED_VERSION"
    static let platform = "GANTRY_PLATFORM"
    static let slug = "GANTRY_SLUG"
    /// A family's image the job builds (`acme/app:slim`).
    static let image = "GANTRY_IMAGE"
    static let runnerTemp = "RUNNER_TEMP"
    static let revision = "GITHUB_SHA"
    static let githubSource = "${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}"

    /// The digest variable of one platform (`GANTRY_DIGEST_LINUX_ARM_V7`).
    static func digestVariable(_ platform: Platform) -> String {
        "GANTRY_DIGEST_" + platform.slug.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    var expanded: Set<String> {
        Set([Self.version, Self.tagVersion, Self.major, Self.minor, Self.patch, Self.created, Self.runnerTemp, Self.revision,
             "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"] + config.platforms.map { Self.digestVariable($0.platform) })
    }

    /// Where a build job writes a platform's metadata file, and the folder of its digest file.
    static func metadataFile(_ slug: String) -> String { "${RUNNER_TEMP}/gantry/metadata/\(slug).json" }
    static let digestFolder = "${RUNNER_TEMP}/gantry/digests"

    /// Checks the requested version the way `SemanticVersion.parse` does (a leading `v`
    /// stripped) and writes it, its tag form and its parts as step outputs.
    var parseVersion: String {
        let identifier = "(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
        let semver = "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-\(identifier)(\\.\(identifier))*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$"
        return """
            set -euo pipefail
            requested="${\(Self.requestedVersion)}"
            version="${requested#[vV]}"
            semver='\(semver)'
            if [[ ! "${version}" =~ ${semver} ]]; then
              echo "::error::the version is not a semantic version such as 3.14.1, v3.14.1 or 3.15.0-rc.1"
              exit 1
            fi
            prerelease=false
            if [[ -n "${BASH_REMATCH[4]}" ]]; then prerelease=true; fi
            {
              echo "version=${version}"
              echo "tag-version=${version//+/_}"
              echo "major=${BASH_REMATCH[1]}"
              echo "minor=${BASH_REMATCH[2]}"
              echo "patch=${BASH_REMATCH[3]}"
              echo "prerelease=${prerelease}"
              echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
            } >> "${GITHUB_OUTPUT}"
            echo "release ${version}"

            """
    }

    /// Builds the matrix platform and pushes it by digest to every registry, no tag.
    var build: String {
        var lines = ["set -euo pipefail", "mkdir -p \"${RUNNER_TEMP}/gantry/metadata\"", "case \"${\(Self.platform)}\" in"]
        for target in config.platforms {
            let argv = ["docker"] + BuildxInvocation.build(
                config: config, platform: target, version: "${\(Self.version)}", revision: "${\(Self.revision)}",
                metadataFile: Self.metadataFile(target.platform.slug), progress: "plain")
            lines += ["  \(target.platform))", "    " + ShellQuote.join(argv, expanding: expanded), "    ;;"]
        }
        lines += ["  *)", "    echo \"::error::${\(Self.platform)} is not a platform of \(config.source); regenerate the workflow with gantry ci github\"",
                  "    exit 1", "    ;;", "esac", ""]
        return lines.joined(separator: "\n")
    }

    /// Writes the pushed digest as a file named by its hex, the recipe's record: empty, or
    /// (`naming`, a family's) holding the image it was built for, which `gantry publish
    /// --from-digests` reads to give each image its own platforms.
    func exportDigest(naming: Bool) -> String {
        let record = naming
            ? "printf '%s\\n' \"${\(Self.image)}\" > \"\(Self.digestFolder)/${digest#sha256:}\""
            : "touch \"\(Self.digestFolder)/${digest#sha256:}\""
        let query = config.build.bake.map { "jq -r --arg target \(ShellQuote.quote($0.target)) '.[$target][\"containerimage.digest\"] // empty'" }
            ?? "jq -r '.\"containerimage.digest\" // empty'"
        return """
            set -euo pipefail
            metadata="${RUNNER_TEMP}/gantry/metadata/${\(Self.slug)}.json"
            digest="$(\(query) "${metadata}")"
            if [[ ! "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
              echo "::error::${metadata} names no containerimage.digest"
              exit 1
            fi
            mkdir -p "\(Self.digestFolder)"
            \(record)
            echo "${\(Self.platform)}: ${digest}"

            """
    }

    /// Where a family's publish job keeps Gantry and its state folder (the journal artifact).
    static let gantryBinary = "${RUNNER_TEMP}/gantry/bin/gantry"
    static let familyState = "${RUNNER_TEMP}/gantry/state"

    /// Downloads `download` over HTTPS only and refuses it unless its sha256 is the pinned one.
    func installGantry(_ download: GantryDownload) -> String {
        """
        set -euo pipefail
        mkdir -p "${RUNNER_TEMP}/gantry/bin"
        curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --output "\(Self.gantryBinary)" \(ShellQuote.quote(download.url))
        echo "\(download.sha256)  \(Self.gantryBinary)" | sha256sum --check --strict -
        chmod 0755 "\(Self.gantryBinary)"
        "\(Self.gantryBinary)" --version

        """
    }

    /// Publishes every image of the family from the run's digest files, as one release.
    var publishFamily: String {
        """
        set -euo pipefail
        "\(Self.gantryBinary)" publish --config \(ShellQuote.quote(config.source)) --release-version "${\(Self.version)}" \\
          --from-digests "\(Self.digestFolder)" --state-dir "\(Self.familyState)" --no-tui --yes

        """
    }

    /// For one registry: reads every platform's digest, runs the one `imagetools create`
    /// `gantry plan` prints for this version (every tag, every digest, never `--append`),
    /// then reads every tag back and checks it holds every platform, each once.
    func publish(_ repository: ImageReference) -> String {
        var lines = [
            "set -euo pipefail",
            "# The one digest file a platform's build job uploaded (artifact digests-SLUG).",
            "digest() {",
            "  local files=(\"\(Self.digestFolder)/digests-$1\"/*)",
            "  local name=\"${files[0]##*/}\"",
            "  if [[ ${#files[@]} -ne 1 || ! \"${name}\" =~ ^[0-9a-f]{64}$ ]]; then",
            "    echo \"digests-$1 must hold exactly one file named by a sha256 digest\" >&2",
            "    exit 1",
            "  fi",
            "  echo \"sha256:${name}\"",
            "}",
        ]
        for target in config.platforms {
            lines.append("\(Self.digestVariable(target.platform))=\"$(digest \(target.platform.slug))\"")
        }
        lines.append("# The tags of Gantry's rules for this kind of version, as `gantry plan VERSION` lists them.")
        let branches = shapes.map { condition, values in (condition, ShellQuote.join(create(repository, values), expanding: expanded)) }
        if branches.count == 1, let only = branches.first {
            lines.append("argv=(\(only.1))")
        } else {
            for (i, branch) in branches.enumerated() {
                lines.append(branch.0.map { "\(i == 0 ? "if" : "elif") \($0); then" } ?? "else")
                lines.append("  argv=(\(branch.1))")
            }
            lines.append("fi")
        }
        let expected = "[" + config.platforms.map { "\"\($0.platform)\"" }.sorted().joined(separator: ",") + "]"
        lines += [
            "# A tag two rules give for this version is published once, as `gantry plan` lists it.",
            "create=()",
            "tags=()",
            "declare -A seen=()",
            "for ((i = 0; i < ${#argv[@]}; i++)); do",
            "  if [[ \"${argv[i]}\" == -t ]]; then",
            "    i=$((i + 1))",
            "    if [[ -n \"${seen[${argv[i]}]:-}\" ]]; then continue; fi",
            "    seen[${argv[i]}]=1",
            "    tags+=(\"${argv[i]}\")",
            "    create+=(-t \"${argv[i]}\")",
            "  else",
            "    create+=(\"${argv[i]}\")",
            "  fi",
            "done",
            "\"${create[@]}\"",
            "# Every tag, read back: one index holding every platform, each once.",
            "expected='\(expected)'",
            "for tag in \"${tags[@]}\"; do",
            "  platforms=\"$(docker buildx imagetools inspect --raw \"${tag}\" | jq -c '\(Self.platformsQuery)')\"",
            "  if [[ \"${platforms}\" != \"${expected}\" ]]; then",
            "    echo \"::error::${tag} holds ${platforms}, not ${expected}\"",
            "    exit 1",
            "  fi",
            "  echo \"${tag}: ${platforms}\"",
            "done",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The platforms of an index, attestations left out, named as Gantry normalises them.
    static let platformsQuery = #"[.manifests[] | select(.platform.os != "unknown") | .platform | .os + "/" + .architecture + (if .architecture == "arm" then "/" + (.variant // "v7") elif (.variant // "") == "" or (.architecture == "arm64" and .variant == "v8") then "" else "/" + .variant end)] | sort"#

    /// The `imagetools create` argv for `repository` with the tag values of one kind of version.
    func create(_ repository: ImageReference, _ values: TagValues) -> [String] {
        let annotations = IndexAnnotations.make(
            config: config, version: "${\(Self.version)}", revision: "${\(Self.revision)}", created: "${\(Self.created)}",
            sourceUnlessConfigured: Self.githubSource)
        return ["docker"] + BuildxInvocation.imagetoolsCreate(
            repository: repository, tags: TagSet.tags(rules: config.tags, flavor: config.flavor, values: values),
            digests: config.platforms.map { "${\(Self.digestVariable($0.platform))}" }, annotations: IndexAnnotations.sorted(annotations))
    }

    /// The kinds of version the tag rules tell apart (a prerelease; 0.x; the rest), each with
    /// its shell condition; kinds that give the same tags share one branch.
    var shapes: [(String?, TagValues)] {
        func values(prerelease: Bool, zero: Bool) -> TagValues {
            TagValues(isPrerelease: prerelease, majorIsZero: zero, version: "${\(Self.tagVersion)}",
                      major: "${\(Self.major)}", minor: "${\(Self.minor)}", patch: "${\(Self.patch)}")
        }
        let prerelease = values(prerelease: true, zero: false)
        let zero = values(prerelease: false, zero: true)
        let release = values(prerelease: false, zero: false)
        let tags = { (v: TagValues) in TagSet.tags(rules: config.tags, flavor: config.flavor, values: v) }
        var shapes: [(String?, TagValues)] = []
        if tags(prerelease) != tags(release) { shapes.append(("[[ \"${\(Self.prerelease)}\" == true ]]", prerelease)) }
        if tags(zero) != tags(release) { shapes.append(("[[ \"${\(Self.major)}\" == 0 ]]", zero)) }
        shapes.append((nil, release))
        return shapes
    }
}
