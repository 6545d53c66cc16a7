import Foundation
import GantryEngine
import Testing

/// The flow's rules (`FlowPolicy`) as pure functions of a stage and a journal: no registry,
/// no build, no file.
@Suite(.timeLimit(.minutes(1))) struct FlowPolicyTests {
    let amd64 = try! Platform.parse("linux/amd64")
    let arm64 = try! Platform.parse("linux/arm64")
    let id = ReleaseID.make(image: "acme/app", version: try! SemanticVersion.parse("1.0.0"), date: Date(timeIntervalSince1970: 1_700_000_000))

    /// A release of amd64 and arm64 whose platforms are in `states`.
    func journal(_ states: [Platform: ReleaseJournal.PlatformRecord.State], kind: ReleaseJournal.Kind = .release) -> ReleaseJournal {
        var journal = ReleaseJournal(
            id: id, kind: kind, image: "acme/app", version: try! SemanticVersion.parse("1.0.0"), registries: [],
            tags: ["1.0.0", "latest"], expectedPlatforms: [amd64, arm64])
        for (platform, state) in states {
            let result = state.hasDigest ? BuildResult(platform: platform, manifestDigest: "sha256:" + String(repeating: "a", count: 64)) : nil
            let error = state == .failed ? RecordedError(kind: "build.failed", message: "RUN make: exit 2\nmore") : nil
            journal[platform: platform] = ReleaseJournal.PlatformRecord(platform: platform, state: state, result: result, error: error)
        }
        return journal
    }

    func policy(_ stage: FlowStage, kind: FlowKind = .release, excused: Set<Platform> = []) -> FlowPolicy {
        FlowPolicy(kind: kind, id: id, stage: stage, excused: excused)
    }

    @Test("a failed platform blocks publishing with a typed cause naming it and its error; excused, it does not")
    func failedPlatformBlocksPublishing() throws {
        let failed = journal([amd64: .built, arm64: .failed])
        let refusal = try #require(policy(.built).refusal(for: .publish, journal: failed))
        #expect(refusal.cause == .unbuilt([FlowRefusal.UnbuiltPlatform(platform: arm64, state: .failed, error: "RUN make: exit 2")]))
        #expect(refusal.reason == "linux/arm64 (failed: RUN make: exit 2) did not build: retry it, or publish without it (--allow-partial linux/arm64)")
        #expect(policy(.built, excused: [arm64]).refusal(for: .publish, journal: failed) == nil)
        #expect(policy(.built).refusal(for: .publish, journal: journal([amd64: .failed, arm64: .cancelled]))?.cause == .nothingBuilt)
        #expect(failed.platformsLeftOut == [arm64])
    }

    @Test("publishing is refused in every stage but built and awaiting confirmation, and for a build")
    func publishByStage() {
        let built = journal([amd64: .built, arm64: .reused])
        let causes: [FlowStage: FlowRefusal.Cause] = [
            .copying: .copying, .building: .buildsRunning, .publishing: .publishingStarted, .verified: .verified(id),
            .failed: .publishFailed(id), .declined: .declined, .cancelled: .cancelled, .refused: .refused,
        ]
        for (stage, cause) in causes {
            #expect(policy(stage).refusal(for: .publish, journal: built)?.cause == cause, "\(stage)")
        }
        #expect(policy(.built).refusal(for: .publish, journal: built) == nil)
        #expect(policy(.awaitingConfirmation).refusal(for: .publish, journal: built) == nil)
        #expect(policy(.built, kind: .build).refusal(for: .publish, journal: built)?.cause == .buildIsNotPublished(id))
    }

    @Test("retry takes a failed or cancelled platform while nothing runs and nothing is published")
    func retryRules() {
        let failed = journal([amd64: .built, arm64: .failed])
        #expect(policy(.built).refusal(for: .retry(arm64), journal: failed) == nil)
        #expect(policy(.built).refusal(for: .retry(amd64), journal: failed)?.cause == .notRetryable(amd64, .built))
        #expect(policy(.building).refusal(for: .retry(arm64), journal: failed)?.reason == "builds are still running: retry linux/arm64 once they are done")
        #expect(policy(.verified).refusal(for: .retry(arm64), journal: failed)?.cause == .publishingStarted)
        #expect(policy(.awaitingConfirmation).refusal(for: .retry(arm64), journal: failed)?.cause == .pendingTagsOpen, "the pending tags shown are answered first")
        #expect(policy(.declined).refusal(for: .retry(arm64), journal: failed)?.reason == "the release was declined: start a new one")
        let other = try! Platform.parse("linux/s390x")
        #expect(policy(.built).refusal(for: .retry(other), journal: failed)?.cause == .notAPlatform(other))
    }

    @Test("cancel takes a queued or running build only")
    func cancelRules() {
        let running = journal([amd64: .building, arm64: .built])
        #expect(policy(.building).refusal(for: .cancel(amd64), journal: running) == nil)
        #expect(policy(.building).refusal(for: .cancel(arm64), journal: running)?.reason == "linux/arm64 is not building (built)")
        #expect(policy(.built).refusal(for: .cancel(amd64), journal: running)?.cause == .notBuilding(amd64, .building))
    }

    @Test("publishing without platforms: once the builds are over, only platforms left out, never all of them")
    func publishWithoutRules() {
        let failed = journal([amd64: .built, arm64: .failed])
        #expect(policy(.built).refusal(for: .publishWithout([arm64]), journal: failed) == nil)
        #expect(policy(.built).refusal(for: .publishWithout([amd64]), journal: failed)?.cause == .alreadyBuilt(amd64))
        #expect(policy(.built).refusal(for: .publishWithout([]), journal: failed)?.cause == .noPlatformNamed)
        #expect(policy(.building).refusal(for: .publishWithout([arm64]), journal: failed)?.cause == .buildsNotOver)
        #expect(policy(.built, kind: .build).refusal(for: .publishWithout([arm64]), journal: failed)?.cause == .buildIsNotPublished(id))
        let none = journal([amd64: .failed, arm64: .failed])
        #expect(policy(.built).refusal(for: .publishWithout([amd64, arm64]), journal: none)?.cause == .nothingBuilt)
    }

    @Test("the stages a flow starts in and the transitions it may make; finished stages go nowhere")
    func transitions() {
        #expect(FlowPolicy.initialStage(of: .release) == .building && FlowPolicy.initialStage(of: .build) == .building)
        #expect(FlowPolicy.initialStage(of: .publish) == .built && FlowPolicy.initialStage(of: .promote) == .copying)
        let allowed: [(FlowStage, FlowStage)] = [
            (.building, .built), (.building, .cancelled), (.cancelled, .building), (.built, .awaitingConfirmation),
            (.awaitingConfirmation, .publishing), (.awaitingConfirmation, .declined), (.awaitingConfirmation, .refused),
            (.awaitingConfirmation, .built), (.publishing, .verified), (.publishing, .failed), (.copying, .built),
        ]
        for (from, to) in allowed { #expect(FlowPolicy.allows(from, to: to), "\(from) → \(to)") }
        let refused: [(FlowStage, FlowStage)] = [
            (.building, .publishing), (.built, .publishing), (.copying, .building), (.cancelled, .awaitingConfirmation),
        ]
        for (from, to) in refused { #expect(!FlowPolicy.allows(from, to: to), "\(from) → \(to)") }
        let all: [FlowStage] = [.copying, .building, .built, .awaitingConfirmation, .publishing, .verified, .failed, .declined, .cancelled, .refused]
        for finished in [FlowStage.verified, .failed, .declined, .refused] {
            #expect(all.allSatisfy { !FlowPolicy.allows(finished, to: $0) }, "\(finished) is final")
        }
    }

    /// A pending set where `1.0.0` moves from the published index to another one.
    func rewriting() -> PendingTagSet {
        let old = TagTarget(digest: "sha256:" + String(repeating: "1", count: 64), platforms: [amd64, arm64])
        let new = TagTarget(digest: "sha256:" + String(repeating: "2", count: 64), platforms: [amd64, arm64])
        let row = PendingTag(
            registry: "127.0.0.1:5000", tag: "1.0.0", current: old, new: new, change: .move,
            warnings: [PendingWarning(.versionRewrite, "1.0.0 is a published version")])
        return PendingTagSet(rows: [row, PendingTag(registry: "127.0.0.1:5000", tag: "latest", current: nil, new: new, change: .new)], targets: [])
    }

    @Test("a version rewrite is refused without --allow-version-rewrite, with the tag in the reason; allowed, the version must be typed")
    func versionRewrite() throws {
        let pending = rewriting()
        let refusal = try #require(FlowPolicy.refusal(publishing: pending, allowVersionRewrite: false))
        #expect(refusal.cause == .versionRewrite([pending.rows[0]]))
        #expect(refusal.reason.contains("1.0.0 in 127.0.0.1:5000 (111111111111 now)") && refusal.reason.contains("--allow-version-rewrite"), "\(refusal.reason)")
        #expect(FlowPolicy.refusal(publishing: pending, allowVersionRewrite: true) == nil)
        let requirement = FlowPolicy.requirement(for: pending, typing: "1.0.0")
        #expect(requirement == .typedVersion("1.0.0"))
        #expect(FlowPolicy.refusal(of: Confirmation(confirming: pending), pending: pending, requirement: requirement)?.cause == .versionNotTyped("1.0.0"))
        #expect(FlowPolicy.refusal(of: Confirmation(confirming: pending, typedVersion: "1.0.0"), pending: pending, requirement: requirement) == nil)
        #expect(FlowPolicy.refusal(of: Confirmation(confirming: pending, typedVersion: "1.0.0"), pending: nil, requirement: requirement)?.cause == .confirmationMismatch(.publish))
        // Without a version tag moving, a yes is enough.
        var onlyNew = pending
        onlyNew.rows.removeFirst()
        #expect(FlowPolicy.refusal(publishing: onlyNew, allowVersionRewrite: false) == nil)
        #expect(FlowPolicy.requirement(for: onlyNew, typing: "1.0.0") == .yes)
    }
}
