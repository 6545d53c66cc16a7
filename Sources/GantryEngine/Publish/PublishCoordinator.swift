/// Publishes the confirmed tag set to every registry in parallel, journaling each
/// step: the concurrency guard, the publish, the read-back verification. A registry
/// that fails leaves the others' results intact and the release resumable.
public struct PublishCoordinator: Sendable {
    public let client: RegistryClient
    public let publisher: any IndexPublisher
    public let recorder: JournalRecorder
    public var onEvent: @Sendable (ReleaseEvent) -> Void

    public init(client: RegistryClient, publisher: any IndexPublisher, recorder: JournalRecorder, onEvent: @escaping @Sendable (ReleaseEvent) -> Void = { _ in }) {
        self.client = client
        self.publisher = publisher
        self.recorder = recorder
        self.onEvent = onEvent
    }

    /// Publishes `confirmation`'s set; returns the final journal (phase verified or failed).
    public func publish(_ confirmation: Confirmation) async throws -> ReleaseJournal {
        let pending = confirmation.pendingTagSet
        try await recorder.update("confirmed \(pending.rows.count) tags") {
            $0.confirmed = pending
            $0.phase = .publishing
        }
        onEvent(.phase(.publishing))
        let journal = await recorder.journal
        await withTaskGroup(of: Void.self) { group in
            for target in pending.targets {
                if journal[registry: target.registry]?.state == .verified { continue }
                group.addTask { await publishOne(target, pending: pending, repository: journal.repository(target.registry)) }
            }
        }
        let allVerified = await recorder.journal.publications.allSatisfy { $0.state == .verified || $0.state == .skipped }
        let final = try await recorder.update(allVerified ? "every registry verified" : "some registries failed; `gantry resume` continues") {
            $0.phase = allVerified ? .verified : .failed
        }
        onEvent(.phase(final.phase))
        return final
    }

    private func publishOne(_ target: IndexTarget, pending: PendingTagSet, repository: ImageReference) async {
        let registry = target.registry
        let tags = pending.tagsPublished(for: registry)
        do {
            try await TagGuard(client: client).check(pending, registry: registry, repository: repository)
            try await record(registry, "publishing to \(registry)") { $0.state = .publishing; $0.error = nil }
            let digest = try await publisher.publish(sources: target.sources, tags: tags, repository: repository)
            if let expected = target.digest, expected != digest {
                throw PublishError("\(registry) now holds index \(Digest.short(digest)), not the confirmed \(Digest.short(expected))")
            }
            try await record(registry, "published \(Digest.short(digest)) to \(registry)") { $0.state = .published; $0.indexDigest = digest }
            let verification = await Verifier(client: client).verify(tags: tags, repository: repository, indexDigest: digest, platforms: target.platforms)
            let ok = verification.allSatisfy(\.ok)
            try await record(registry, ok ? "verified \(tags.count) tags in \(registry)" : "verification failed in \(registry)") {
                $0.record(verification: verification)
            }
        } catch {
            try? await record(registry, "\(registry) failed: \(error)") { $0.state = .failed; $0.error = "\(error)" }
        }
    }

    private func record(_ registry: String, _ message: String, _ change: @Sendable (inout ReleaseJournal.RegistryPublication) -> Void) async throws {
        onEvent(.registry(try await recorder.updatePublication(registry, message, change)))
    }
}

/// The user's go-ahead: carries the exact pending tag set they saw.
public struct Confirmation: Sendable, Equatable {
    public let pendingTagSet: PendingTagSet
    /// Only a UI that showed `pendingTagSet` creates this.
    public init(confirming pendingTagSet: PendingTagSet) { self.pendingTagSet = pendingTagSet }
}
