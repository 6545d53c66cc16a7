/// Suggests the command that repairs what an audit found: one per problem, however many
/// registries and tags it touches. Repairs restore what was there; they do not re-release.
/// For each broken tag it chooses, in order: `gantry tag HOST/REPO@DIGEST TAG --to HOST`
/// when another registry holds the tag whole (its digest, copied where missing, and only
/// that tag moved, guarded); `gantry resume ID` when a confirmed release of the tag did not
/// finish; `gantry tag` of the index the newest verified release published under the tag;
/// `gantry publish ID` when a finished one built the missing platforms and its digests are
/// still in a registry; `gantry publish --release-version V --digest ...` from
/// the digests another tag of the same release holds; `gantry promote V --from HOST` when
/// another registry holds the whole release. Journals it may not use (`RepairCandidates`)
/// are listed with why.
public struct RepairAdvisor: Sendable {
    public let auditor: Auditor

    public init(auditor: Auditor) { self.auditor = auditor }

    /// An advisor reading through `client`. Repairs need platforms only: no signature,
    /// referrer or platform-config lookups for the other tags it reads.
    public init(client: RegistryClient) { self.init(auditor: Auditor(client: client, inspectsSupplyChain: false, checksPlatforms: false)) }

    /// The advice from the journals in `state` as they are now. Journals that cannot be read
    /// leave their repairs out, and the advice says why (`journalsUnread`).
    public func advice(for report: AuditReport, state: StateDirectory, config: ReleaseConfig? = nil) async -> RepairAdvice {
        let journals: [JournalListing]
        let unread: RecordedError?
        do { (journals, unread) = (try JournalStore(state: state).list(), nil) } catch { (journals, unread) = ([], RecordedError(error)) }
        var advice = await advice(for: report, journals: journals, config: config)
        advice.journalsUnread = unread
        return advice
    }

    /// The repairs of `report`'s broken tags, from `journals`, the repository's other tags
    /// and, with `config`, the other registries' results, as operations a front end can run;
    /// and why each other audited reference has none.
    public func advice(for report: AuditReport, journals: [JournalListing], config: ReleaseConfig? = nil) async -> RepairAdvice {
        var advice = RepairAdvice()
        for result in report.results {
            guard let problem = Problem(result) else {
                advice.unrepaired[result.reference] = Self.nothingToRepair(result)
                continue
            }
            let candidates = RepairCandidates(journals) { self.publishes(result, $0) }
            advice.skip(candidates.skipped)
            let found: Repair?
            do {
                found = try await repair(result, problem, report: report, candidates: candidates.journals, config: config)
            } catch {
                // A registry that did not answer is no answer: never read as "not pushed" or "no other tag".
                advice.unrepaired[result.reference] = "could not look for a repair: \(RecordedError(error).message)"
                continue
            }
            guard let repair = found else {
                advice.unrepaired[result.reference] = problem.unrepairable(result, hasConfig: config != nil)
                continue
            }
            if let i = advice.repairs.firstIndex(where: { $0.operation.merged(with: repair.operation) != nil }) {
                advice.repairs[i].operation = advice.repairs[i].operation.merged(with: repair.operation)!
                advice.repairs[i].references.append(result.reference)
            } else {
                advice.repairs.append(RepairAdvice.Repair(references: [result.reference], operation: repair.operation, reason: repair.reason))
            }
        }
        return advice
    }

    /// Why a tag with no problem a repair addresses gets none.
    private static func nothingToRepair(_ result: AuditResult) -> String {
        if result.findings.contains(where: { $0.kind == .unreachable }) {
            return "\(result.registry) could not be asked: audit again once it answers"
        }
        let kinds = result.findings.map(\.kind.rawValue).uniqued()
        if kinds.isEmpty {
            return result.unchecked.isEmpty
                ? "nothing to repair in \(result.reference)" : "not everything could be checked in \(result.reference): audit again once the registry answers"
        }
        return "no repair for \(kinds.joined(separator: ", ")): repairs add missing platforms and tags, or finish a release"
    }

    /// What is wrong with one tag, as far as a repair is concerned.
    private enum Problem {
        /// Platforms are missing (a partial index, or a single manifest where an index belongs).
        case lacking([Platform])
        case absent
        case drift

        init?(_ result: AuditResult) {
            let kinds = Set(result.findings.map(\.kind))
            if kinds.contains(.unreachable) { return nil }
            if kinds.contains(.missingPlatform) || kinds.contains(.notAnIndex) {
                self = .lacking(result.findings.filter { $0.kind == .missingPlatform }.compactMap { $0.platform.flatMap { try? Platform.parse($0) } })
            } else if kinds.contains(.tagMissing) {
                self = .absent
            } else if kinds.contains(.drift) {
                self = .drift
            } else {
                return nil
            }
        }

        /// Why no repair was found for `result`.
        func unrepairable(_ result: AuditResult, hasConfig: Bool) -> String {
            let elsewhere = hasConfig ? "" : " (without a release config, other registries are not looked at)"
            switch self {
            case .drift:
                return "\(result.reference) lacks nothing: repair the registries that differ"
            case .lacking(let missing):
                let what = missing.isEmpty ? "the missing platforms" : missing.map(\.description).joined(separator: ", ")
                return "no finished release, other tag or registry holds \(what) for \(result.reference)\(elsewhere)"
            case .absent:
                return "no other registry holds a whole \(result.tag)\(elsewhere)"
            }
        }
    }

    /// An operation and why.
    private struct Repair {
        var operation: RepairOperation
        var reason: String
    }

    private func repair(
        _ result: AuditResult, _ problem: Problem, report: AuditReport, candidates releases: [ReleaseJournal], config: ReleaseConfig?
    ) async throws -> Repair? {
        if case .lacking = problem, let restoration = try restoration(result, report: report, registries: config?.registries ?? []) { return restoration }
        if let unfinished = releases.first(where: { !$0.isFinished && $0.kind != .build }) {
            // A family's member resumes only with its family: the repair names the family.
            return Repair(
                operation: .resume(unfinished.family?.id ?? unfinished.id),
                reason: "\(unfinished.kind.rawValue) \(unfinished.id) of \(unfinished.version?.description ?? "?") did not finish (\(unfinished.phase.rawValue))")
        }
        switch problem {
        case .drift:
            return nil
        case .lacking(let missing):
            if let restoration = try await journaledRestoration(result, releases: releases) { return restoration }
            if let restoration = try await recordedRestoration(result, missing: missing, registries: config?.registries ?? []) { return restoration }
            // A family member's journal is never published again alone (the family is published whole).
            for journal in releases where journal.isFinished && journal.family == nil && Set(journal.results.map(\.platform)).isSuperset(of: missing) {
                guard try await isStillPushed(journal) else { continue }
                return Repair(operation: .publishJournal(journal.id, configPath: journal.configPath), reason: "\(journal.kind.rawValue) \(journal.id) built \(journal.results.map(\.platform.description).joined(separator: ", "))")
            }
            // Another tag's digests are one image's: with a family config, which image's is not said.
            if config?.releasesFamily != true, let repair = try await fromOtherTag(result, missing: missing) { return repair }
            return promotion(result, report: report, config: config)
        case .absent:
            return promotion(result, report: report, config: config)
        }
    }

    /// Whether `journal`'s release publishes `result`'s tag in its registry.
    private func publishes(_ result: AuditResult, _ journal: ReleaseJournal) -> Bool {
        journal.registries.contains { $0.host == result.registry && $0.repository(for: journal.image).repository == result.repository }
            && journal.tags.contains(result.tag)
    }

    /// Whether every digest `journal` built is still in one of its registries (a publish copies it to the others).
    /// A registry that cannot be asked does not count as lacking it: when no other holds a
    /// digest, its error is thrown.
    private func isStillPushed(_ journal: ReleaseJournal) async throws -> Bool {
        let repositories = journal.registries.map { $0.repository(for: journal.image) }
        for result in journal.results {
            let digest = result.pushedIndexDigest ?? result.manifestDigest
            var failure: (any Error)?
            var held = false
            for repository in repositories where !held {
                do { held = try await auditor.client.resolve(repository.with(digest: digest), cached: false) != nil } catch { failure = error }
            }
            if held { continue }
            if let failure { throw failure }
            return false
        }
        return true
    }

    /// Another tag of the repository whose index holds the missing platforms.
    private func fromOtherTag(_ result: AuditResult, missing: [Platform]) async throws -> Repair? {
        guard !missing.isEmpty else { return nil }
        let repository = ImageReference(registry: result.registry, repository: result.repository)
        let listing = try await auditor.listTags(repository)
        let present = result.platforms.compactMap { p in (try? Platform.parse(p.platform)).map { ($0, p.digest) } }
        for group in listing.groups where group.digest != result.digest {
            guard Set(group.platforms.compactMap { try? Platform.parse($0) }).isSuperset(of: missing), let tag = group.tags.first else { continue }
            guard let other = await auditor.audit([repository.with(tag: tag)]).results.first else { continue }
            let found = other.platforms.compactMap { p in (try? Platform.parse(p.platform)).map { ($0, p.digest) } }.filter { missing.contains($0.0) }
            guard found.count == missing.count else { continue }
            let sources = (present + found).sorted { $0.0 < $1.0 }.map { PlatformSource(platform: $0.0, digest: $0.1) }
            let version = result.version ?? (try? SemanticVersion.parse(result.tag))?.description ?? other.version ?? "VERSION"
            return Repair(
                operation: .publishDigests(version: version, sources: sources),
                reason: "\(repository.with(tag: tag)) holds \(missing.map(\.description).joined(separator: ", "))")
        }
        return nil
    }

    /// The same tag, whole in another configured registry: point this one at its digest
    /// (copied here by digest when missing), only if it still points where the audit saw it.
    private func restoration(_ result: AuditResult, report: AuditReport, registries: [RegistryTarget]) throws -> Repair? {
        guard let whole = wholeElsewhere(result, report: report), let digest = whole.digest else { return nil }
        let request = try TagRequest(
            source: ImageReference(registry: whole.registry, repository: whole.repository, digest: digest).description, tags: [result.tag],
            to: [result.registry], expected: [TagExpectation(tag: result.tag, digest: result.digest)], configured: registries)
        return Repair(operation: .tag(request), reason: "\(whole.reference) is whole at \(Digest.short(digest))")
    }

    /// The index the newest verified journal published under `result`'s tag in its registry,
    /// still held by one of the journal's registries: point the tag back at it (copied there
    /// first when missing), only if it still points where the audit saw it.
    private func journaledRestoration(_ result: AuditResult, releases: [ReleaseJournal]) async throws -> Repair? {
        for journal in releases where journal.phase == .verified {
            guard let published = journal[registry: result.registry], published.state == .verified, let digest = published.indexDigest,
                  journal.confirmed?.rows.contains(where: { $0.registry == result.registry && $0.tag == result.tag && $0.change != .held }) == true
            else { continue }
            let repositories = journal.registries.map { $0.repository(for: journal.image) }
            // The first registry holding it is the source: the same for every registry, so one repair covers them all.
            guard let source = try await DigestPlacement(client: auditor.client).presence(of: digest, in: repositories).holding.first else { continue }
            let request = try TagRequest(
                source: source.with(digest: digest).description, tags: [result.tag], to: [result.registry],
                expected: [TagExpectation(tag: result.tag, digest: result.digest)], configured: journal.registries)
            return Repair(operation: .tag(request), reason: "\(journal.kind.rawValue) \(journal.id) published \(result.tag) as \(Digest.short(digest)), verified")
        }
        return nil
    }

    /// Where the tag's release record (the publication that moved it to what it is now, from
    /// any machine) says it was before, when that index holds the missing platforms: point
    /// the tag back there, only if it still points where the audit saw it.
    private func recordedRestoration(_ result: AuditResult, missing: [Platform], registries: [RegistryTarget]) async throws -> Repair? {
        let repository = ImageReference(registry: result.registry, repository: result.repository)
        guard let found = result.record, found.isAbout(repository), let previous = found.record.move(of: result.tag)?.previous, Digest.isValid(previous) else { return nil }
        let before: FetchedManifest
        do { before = try await auditor.client.manifest(repository.with(digest: previous)) } catch let error as RegistryError where error.kind == .notFound {
            return nil  // deleted since: nothing to go back to
        }
        guard let index = before.index else { return nil }
        let held = Set(index.manifests.filter { !$0.isAttestation }.compactMap { $0.platform?.platform })
        guard held.isSuperset(of: missing) else { return nil }
        let request = try TagRequest(
            source: repository.with(digest: previous).description, tags: [result.tag], to: [result.registry],
            expected: [TagExpectation(tag: result.tag, digest: result.digest)], configured: registries)
        return Repair(operation: .tag(request), reason: "its release record \(Digest.short(found.digest)) says \(result.tag) was the whole \(Digest.short(previous)) before \(found.record.summary)")
    }

    /// The result of `result`'s tag in another configured registry that is a whole index
    /// (differing from `result` is all that is wrong with it).
    private func wholeElsewhere(_ result: AuditResult, report: AuditReport) -> AuditResult? {
        report.results.first { other in
            other.registry != result.registry && other.repository == result.repository && other.tag == result.tag && other.isIndex
                && other.findings.allSatisfy { $0.kind == .drift }
        }
    }

    /// Another configured registry whose same tag is a whole release.
    private func promotion(_ result: AuditResult, report: AuditReport, config: ReleaseConfig?) -> Repair? {
        guard let config, let whole = wholeElsewhere(result, report: report), let version = whole.version ?? (try? SemanticVersion.parse(result.tag))?.description else { return nil }
        // With a family config, only the image whose tag it is: the family's other images are not touched.
        let image: String?
        if config.releasesFamily {
            guard let parsed = try? SemanticVersion.parse(version),
                  let member = ImageFamily(config).member(owning: result.repository, tag: result.tag, version: parsed) else { return nil }
            image = member.name
        } else {
            image = nil
        }
        return Repair(
            operation: .promote(version: version, from: whole.registry, to: [result.registry], configPath: config.source, image: image),
            reason: "\(whole.reference) is the whole release")
    }
}

/// A command that repairs one problem, and the tags it repairs.
public struct RepairSuggestion: Codable, Sendable, Hashable {
    /// `registry/repository:tag` of every tag the command repairs.
    public var references: [String]
    public var command: String
    /// Where the missing digests come from.
    public var reason: String

    public init(references: [String], command: String, reason: String) {
        self.references = references
        self.command = command
        self.reason = reason
    }
}
