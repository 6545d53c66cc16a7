/// Works out the pending tag set: for each registry × tag, what it points to now
/// (from the audit) and what it will point to, with warnings for lost platforms,
/// downgrades, version rewrites and drift. Downgraded moving tags are held back unless allowed.
public struct PendingTagPlanner: Sendable {
    public let auditor: Auditor

    public init(auditor: Auditor) { self.auditor = auditor }

    /// What `tags` point to now in every one of `repositories`, all read at once. It needs
    /// no target, so it runs while the index is being composed.
    public func current(repositories: [ImageReference], tags: [String]) async -> AuditReport {
        await auditor.audit(repositories.flatMap { repository in tags.map { repository.with(tag: $0) } })
    }

    /// The pending set for publishing `version` (nil: unknown, no downgrade check) towards
    /// `targets` (one per registry), from `report`, what `current(repositories:tags:)` read.
    public func plan(
        current report: AuditReport, version: SemanticVersion?, targets: [IndexTarget], allowDowngrade: Bool
    ) async throws -> PendingTagSet {
        if let unreachable = report.findings.first(where: { $0.kind == .unreachable }) {
            throw PublishError(.currentTagsUnreadable, "cannot read the current tags: \(unreachable.message)")
        }
        var versionsByDigest: [String: SemanticVersion] = [:]
        var listed = Set<String>()
        var rows: [PendingTag] = []
        for result in report.results {
            guard let target = targets.first(where: { $0.registry == result.registry }) else { continue }
            let new = TagTarget(digest: target.digest, mediaType: MediaType.ociIndex, platforms: target.platforms, version: version)
            guard let digest = result.digest else {
                rows.append(PendingTag(registry: result.registry, tag: result.tag, current: nil, new: new, change: .new))
                continue
            }
            var currentVersion = result.version.flatMap { try? SemanticVersion.parse($0) }
            if currentVersion == nil, version != nil {
                // One tag listing per repository, and only when a version is not annotated.
                let repository = ImageReference(registry: result.registry, repository: result.repository)
                if listed.insert(repository.name).inserted {
                    versionsByDigest.merge(try await semverTagsByDigest(repository)) { max($0, $1) }
                }
                currentVersion = versionsByDigest[digest]
            }
            let current = TagTarget(
                digest: digest, mediaType: result.mediaType,
                platforms: result.platforms.compactMap { try? Platform.parse($0.platform) }, version: currentVersion)
            var row = PendingTag(
                registry: result.registry, tag: result.tag, current: current, new: new,
                change: digest == target.digest ? .unchanged : .move)
            if row.change == .move {
                let lost = row.lostPlatforms
                if !lost.isEmpty {
                    row.warnings.append(PendingWarning(.lostPlatforms, "\(result.tag) loses \(lost.map(\.description).joined(separator: ", ")), which it has now"))
                }
                if (try? SemanticVersion.parse(result.tag)) != nil, result.mediaType.map(MediaType.isIndex) == true {
                    // A full version on a published index names one set of bytes: moving it is a
                    // rewrite, not a release. One on a single manifest (a build's push overwrote
                    // it) is a broken tag its repair restores.
                    row.warnings.append(PendingWarning(.versionRewrite, "\(result.tag) is a published version (\(Digest.short(digest))); moving it rewrites that version's bytes"))
                }
                if let version, let currentVersion, currentVersion > version {
                    let message = "\(result.tag) points to \(currentVersion) now; moving it to \(version) is a downgrade"
                    if allowDowngrade {
                        row.warnings.append(PendingWarning(.downgrade, message + " (allowed)"))
                    } else {
                        row.change = .held
                        row.warnings.append(PendingWarning(.downgrade, message + "; held back (use --allow-downgrade to move it)"))
                    }
                }
            }
            rows.append(row)
        }
        return PendingTagSet(rows: Self.addingDrift(rows), targets: targets)
    }

    /// The highest semver tag pointing at each digest of `repository`.
    private func semverTagsByDigest(_ repository: ImageReference) async throws -> [String: SemanticVersion] {
        let listing = try await auditor.listTags(repository)
        var out: [String: SemanticVersion] = [:]
        for group in listing.groups {
            let versions = group.tags.compactMap { try? SemanticVersion.parse($0) }
            if let highest = versions.max() { out[group.digest] = highest }
        }
        return out
    }

    /// Marks tags that point to different digests in different registries now.
    static func addingDrift(_ rows: [PendingTag]) -> [PendingTag] {
        let byTag = Dictionary(grouping: rows, by: \.tag)
        return rows.map { row in
            let digests = Set(byTag[row.tag, default: []].compactMap { $0.current?.digest })
            guard digests.count > 1 else { return row }
            var row = row
            let where_ = byTag[row.tag, default: []].map { "\($0.registry): \($0.current?.digest.map(Digest.short) ?? "absent")" }
            row.warnings.append(PendingWarning(.drift, "\(row.tag) differs between registries now (\(where_.joined(separator: ", ")))"))
            return row
        }
    }
}
