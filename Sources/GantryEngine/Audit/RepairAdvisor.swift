/// Suggests the `gantry publish` command that repairs a tag missing platforms, when a
/// release journal or another tag of the repository holds the missing digests.
public struct RepairAdvisor: Sendable {
    public let auditor: Auditor

    public init(auditor: Auditor) { self.auditor = auditor }

    /// One suggestion per result with `missing-platform` findings that can be repaired.
    public func suggestions(for report: AuditReport, journals: [ReleaseJournal]) async -> [RepairSuggestion] {
        var out: [RepairSuggestion] = []
        for result in report.results {
            let missing = result.findings.filter { $0.kind == .missingPlatform }.compactMap { $0.platform.flatMap { try? Platform.parse($0) } }
            guard !missing.isEmpty else { continue }
            if let suggestion = fromJournal(result, missing: missing, journals: journals) {
                out.append(suggestion)
            } else if let suggestion = await fromOtherTag(result, missing: missing) {
                out.append(suggestion)
            }
        }
        return out
    }

    /// A journal of this image and registry whose builds cover the missing platforms.
    private func fromJournal(_ result: AuditResult, missing: [Platform], journals: [ReleaseJournal]) -> RepairSuggestion? {
        let journal = journals.sorted { $0.createdAt > $1.createdAt }.first { journal in
            journal.registries.contains { $0.host == result.registry && $0.repository(for: journal.image).repository == result.repository }
                && Set(journal.results.map(\.platform)).isSuperset(of: missing)
        }
        guard let journal else { return nil }
        var command = "gantry publish \(journal.id)"
        if let config = journal.configPath { command += " --config \(ShellQuote.quote(config))" }
        return RepairSuggestion(result, command: command, reason: "release \(journal.id) built \(missing.map(\.description).joined(separator: ", "))")
    }

    /// Another tag of the repository whose index holds the missing platforms.
    private func fromOtherTag(_ result: AuditResult, missing: [Platform]) async -> RepairSuggestion? {
        let repository = ImageReference(registry: result.registry, repository: result.repository)
        guard let listing = try? await auditor.listTags(repository) else { return nil }
        let present = result.platforms.compactMap { p in (try? Platform.parse(p.platform)).map { ($0, p.digest) } }
        for group in listing.groups where group.digest != result.digest {
            guard Set(group.platforms.compactMap { try? Platform.parse($0) }).isSuperset(of: missing), let tag = group.tags.first else { continue }
            guard let other = await auditor.audit([repository.with(tag: tag)]).results.first else { continue }
            let found = other.platforms.compactMap { p in (try? Platform.parse(p.platform)).map { ($0, p.digest) } }.filter { missing.contains($0.0) }
            guard found.count == missing.count else { continue }
            let pairs = (present + found).sorted { $0.0 < $1.0 }.map { "--digest \($0.0)=\($0.1)" }
            let version = result.version ?? (try? SemanticVersion.parse(result.tag))?.description ?? "VERSION"
            return RepairSuggestion(
                result, command: "gantry publish --release-version \(version) \(pairs.joined(separator: " "))",
                reason: "\(repository.with(tag: tag)) holds \(missing.map(\.description).joined(separator: ", "))")
        }
        return nil
    }
}

/// A command that would repair one tag.
public struct RepairSuggestion: Codable, Sendable, Hashable {
    public var registry: String
    public var repository: String
    public var tag: String
    public var command: String
    /// Where the missing digests come from.
    public var reason: String

    init(_ result: AuditResult, command: String, reason: String) {
        registry = result.registry
        repository = result.repository
        tag = result.tag
        self.command = command
        self.reason = reason
    }
}
