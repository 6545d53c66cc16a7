/// An operation the flow does not allow in its current state: why, as a type a front end
/// can match (`cause`), and in words (`reason`, lazygit's disabled reasons) that the
/// console's footer and the plain output say.
public struct FlowRefusal: ClassifiedError, Sendable, Equatable {
    public var action: FlowAction
    public var cause: Cause

    public init(_ action: FlowAction, _ cause: Cause) {
        self.action = action
        self.cause = cause
    }

    /// Why the action is refused.
    public enum Cause: Sendable, Equatable {
        /// The platform is not one of the release's.
        case notAPlatform(Platform)
        /// Only a queued or running build can be cancelled.
        case notBuilding(Platform, ReleaseJournal.PlatformRecord.State)
        /// Only a failed or cancelled platform is built again.
        case notRetryable(Platform, ReleaseJournal.PlatformRecord.State)
        /// A promotion copies its release to the registries.
        case copying
        case buildsRunning
        /// The pending tag set is shown and waits for an answer: the platforms it holds are fixed until then.
        case pendingTagsOpen
        /// Leaving platforms out is decided once the builds are over, before publishing.
        case buildsNotOver
        case publishingStarted
        case verified(ReleaseID)
        case publishFailed(ReleaseID)
        case declined
        /// Publishing was refused after the pending set was shown (a version rewrite).
        case refused
        case cancelled
        /// A build is published by `gantry publish ID`, not by its own flow.
        case buildIsNotPublished(ReleaseID)
        /// Expected platforms without a digest, not allowed to be left out.
        case unbuilt([UnbuiltPlatform])
        case nothingBuilt
        /// Leaving out a platform that built.
        case alreadyBuilt(Platform)
        case noPlatformNamed
        /// A confirmation of another set than the one shown.
        case confirmationMismatch(ConfirmationPurpose)
        /// Existing tags move: the version must be typed.
        case versionNotTyped(String)
        /// Full-version tags would get bytes other than the ones they hold, without `--allow-version-rewrite`.
        case versionRewrite([PendingTag])
        /// A rollback of a release no tag points at any more.
        case nothingToRollBack(ReleaseID)
    }

    /// One platform a publish would leave out: its state and the first line of its error.
    public struct UnbuiltPlatform: Sendable, Equatable {
        public var platform: Platform
        /// nil: no record (not among a publish's sources).
        public var state: ReleaseJournal.PlatformRecord.State?
        public var error: String?

        public init(platform: Platform, state: ReleaseJournal.PlatformRecord.State?, error: String?) {
            self.platform = platform
            self.state = state
            self.error = error
        }
    }

    public var code: String { "flow.refused" }
    public var description: String { reason }

    /// The refusal in words.
    public var reason: String {
        switch cause {
        case .notAPlatform(let platform): return "\(platform) is not a platform of this release"
        case .notBuilding(let platform, let state): return "\(platform) is not building (\(state.rawValue))"
        case .notRetryable(let platform, let state): return "\(platform) is \(state.rawValue): only a failed or cancelled platform is built again"
        case .copying:
            if case .retry = action { return "the release is being copied: a promotion builds nothing" }
            return "the release is being copied to the registries: publish once it is"
        case .buildsRunning:
            if case .retry(let platform) = action { return "builds are still running: retry \(platform) once they are done" }
            return "builds are still running: publish once they are done"
        case .buildsNotOver: return "only once the builds are over, before publishing"
        case .pendingTagsOpen: return "the pending tags are open without it: answer them first (Esc declines, nothing is published; q leaves the release resumable)"
        case .publishingStarted:
            if case .retry = action { return "publishing has started: the platforms are fixed" }
            return "publishing is under way"
        case .verified(let id): return "\(id) is published and verified: nothing more to publish"
        case .publishFailed(let id): return "publishing failed in some registry: `gantry resume \(id)` continues"
        case .declined:
            if case .retry = action { return "the release was declined: start a new one" }
            return "declined: nothing was published"
        case .refused: return "publishing was refused: nothing was published"
        case .cancelled: return "the builds were cancelled: nothing was published"
        case .buildIsNotPublished(let id): return "a build is not published here: `gantry publish \(id)` publishes its digests"
        case .unbuilt(let platforms):
            let list = platforms.map { "\($0.platform) (\($0.state?.rawValue ?? "missing")\($0.error.map { ": \($0)" } ?? ""))" }
            let first = platforms.first.map(\.platform.description) ?? ""
            return "\(list.joined(separator: "; ")) did not build: retry it, or publish without it (--allow-partial \(first))"
        case .nothingBuilt: return "no platform built: nothing to publish"
        case .alreadyBuilt(let platform): return "\(platform) built: nothing to leave out"
        case .noPlatformNamed: return "no platform named"
        case .confirmationMismatch(.publish): return "the confirmation is not of the pending tag set shown: review it again"
        case .confirmationMismatch(.rollback): return "the confirmation is not of the rollback shown: review it again"
        case .confirmationMismatch(.tag): return "the confirmation is not of the tag moves shown: review them again"
        case .versionNotTyped(let version): return "existing tags move: type \(version) to confirm"
        case .versionRewrite(let rows):
            let list = rows.map { "\($0.tag) in \($0.registry) (\($0.current?.digest.map(Digest.short) ?? "?") now)" }
            return "\(list.joined(separator: ", ")) would get other bytes than the version published there: "
                + "a version's bytes change only with --allow-version-rewrite (and the typed version)"
        case .nothingToRollBack(let id): return "nothing to roll back: no tag still points at what \(id) published"
        }
    }
}
