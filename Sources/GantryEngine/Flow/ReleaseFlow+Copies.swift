import Foundation

/// The flow's copies by digest: a digest some registry lacks is copied from one that holds
/// it instead of being rebuilt, and a promotion copies its release. Each copy is journaled.
extension ReleaseFlow {
    /// Makes `result`'s digest exist in every registry of the release, copying it from one
    /// that holds it into those that lack it; false when no registry holds it.
    private func placeEverywhere(_ platform: Platform, _ result: BuildResult) async throws -> Bool {
        let journal = await recorder.journal
        let digest = result.publishedDigest
        let placement = DigestPlacement(client: toolchain.client)
        let (holding, lacking) = try await placement.presence(of: digest, in: journal.registries.map { $0.repository(for: journal.image) })
        guard let source = holding.first else { return false }
        let note = "\(platform): found in \(source.name), " + (kind == .publish ? "copied" : "copied instead of rebuilt")
        try await journalingFailure("copying \(platform)") {
            try await placement.copy(source.with(digest: digest), to: lacking) { target, report in
                try await self.journal(report, into: target, platforms: [platform], note: note)
            }
        }
        return true
    }

    /// Places every digest of `records` at once (see `placeEverywhere(_:_:)`); returns the
    /// platforms whose digest is now in every registry.
    func placeEverywhere(_ records: [ReleaseJournal.PlatformRecord]) async throws -> Set<Platform> {
        try await withThrowingTaskGroup(of: Platform?.self) { group in
            for record in records {
                guard let result = record.result, record.state.hasDigest else { continue }
                group.addTask { try await self.placeEverywhere(record.platform, result) ? record.platform : nil }
            }
            var placed = Set<Platform>()
            for try await platform in group { if let platform { placed.insert(platform) } }
            return placed
        }
    }

    /// Prepares the pending tag set; for a publish whose preflight finds a digest missing in
    /// some registry, copies the digests into every registry from one that holds them and
    /// prepares again (the preflight then names any digest no registry holds). Asking only
    /// after the preflight found one missing costs the usual publish, every digest
    /// everywhere, no request more.
    func prepareCopyingMissing(_ preparation: PublishPreparation) async throws -> PreparedPublication {
        do {
            return try await preparation.preparePublication(recorder)
        } catch let refused as PreflightError where kind == .publish && refused.digestsAbsent {
            _ = try await placeEverywhere(await recorder.journal.platforms)
            return try await preparation.preparePublication(recorder)
        }
    }

    /// Copies the promoted release, by digest, into every target registry (what one holds
    /// already is skipped, so a resume goes on where a copy stopped).
    func copyPromotion() async throws {
        let journal = await recorder.journal
        guard let promotion = journal.promotion else {
            throw FlowError(.notResumable, "\(id) is a promotion that did not record what it promotes")
        }
        events(.phase(.copying))
        let source = promotion.from.repository(for: journal.image).with(digest: promotion.indexDigest)
        let platforms = journal.platforms.map(\.platform)
        try await journalingFailure("copying \(source)") {
            try await DigestPlacement(client: toolchain.client).copy(source, to: journal.registries.map { $0.repository(for: journal.image) }) { target, report in
                try await self.journal(report, into: target, platforms: platforms, note: "promoted")
            }
        }
        let built = try await recorder.update("the release is in every registry") { $0.phase = .built }
        enter(.built)
        events(.phase(built.phase))
    }

    /// Journals one copy (the platforms' digests now in `target`), then reports it.
    private func journal(_ report: CopyReport, into target: ImageReference, platforms: [Platform], note: String) async throws {
        try await recorder.update("\(note): \(report.description)") { journal in
            for platform in platforms { journal[platform: platform]?.result?.presence[target.name] = true }
        }
        events(.copied(report))
    }

    /// Runs `body`; a failure is journaled before it is thrown.
    private func journalingFailure(_ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try await recorder.update("\(what) failed: \(RecordedError(error).message)") { _ in }
            throw error
        }
    }
}
