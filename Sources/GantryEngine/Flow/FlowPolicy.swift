/// What a release flow may do next, as pure functions of where it stands: its kind, stage,
/// journal and the platforms it may leave out. The flow asks before every action (front
/// ends through `ReleaseFlow.refusal(for:)`); nothing here reads a registry or a file.
public struct FlowPolicy: Sendable, Equatable {
    public var kind: FlowKind
    public var id: ReleaseID
    public var stage: FlowStage
    /// Platforms publishing may leave out: `--allow-partial`, and those the user excused since.
    public var excused: Set<Platform>

    public init(kind: FlowKind, id: ReleaseID, stage: FlowStage, excused: Set<Platform>) {
        self.kind = kind
        self.id = id
        self.stage = stage
        self.excused = excused
    }

    /// The stage a flow of `kind` starts in.
    public static func initialStage(of kind: FlowKind) -> FlowStage {
        switch kind {
        case .publish: .built
        case .promote: .copying
        case .release, .build: .building
        }
    }

    /// Whether a flow may go from `stage` to `next`; the flow changes stage only through this.
    public static func allows(_ stage: FlowStage, to next: FlowStage) -> Bool {
        switch (stage, next) {
        case (.copying, .built), (.building, .building), (.building, .built), (.building, .cancelled),
             (.built, .building), (.cancelled, .building), (.built, .awaitingConfirmation),
             (.awaitingConfirmation, .awaitingConfirmation), (.awaitingConfirmation, .building),
             (.awaitingConfirmation, .publishing), (.awaitingConfirmation, .declined), (.awaitingConfirmation, .built),
             (.awaitingConfirmation, .refused), (.publishing, .verified), (.publishing, .failed):
            true
        default:
            false
        }
    }

    /// Why `action` is not allowed now; nil when it is.
    public func refusal(for action: FlowAction, journal: ReleaseJournal) -> FlowRefusal? {
        let refuse = { (cause: FlowRefusal.Cause) in FlowRefusal(action, cause) }
        switch action {
        case .cancel(let platform):
            guard let record = journal[platform: platform] else { return refuse(.notAPlatform(platform)) }
            guard stage == .building, record.state == .building || record.state == .pending else {
                return refuse(.notBuilding(platform, record.state))
            }
            return nil
        case .retry(let platform):
            guard let record = journal[platform: platform] else { return refuse(.notAPlatform(platform)) }
            guard record.state == .failed || record.state == .cancelled else { return refuse(.notRetryable(platform, record.state)) }
            switch stage {
            case .copying: return refuse(.copying)
            case .building: return refuse(.buildsRunning)
            case .built, .cancelled: return nil
            case .awaitingConfirmation: return refuse(.pendingTagsOpen)
            case .publishing, .verified, .failed, .refused: return refuse(.publishingStarted)
            case .declined: return refuse(.declined)
            }
        case .publish:
            return publishRefusal(journal)
        case .publishWithout(let platforms):
            guard stage == .built else { return refuse(.buildsNotOver) }
            guard kind != .build else { return refuse(.buildIsNotPublished(id)) }
            let leftOut = journal.platformsLeftOut
            if let built = platforms.first(where: { !leftOut.contains($0) }) { return refuse(.alreadyBuilt(built)) }
            if leftOut.count == journal.expectedPlatforms.count { return refuse(.nothingBuilt) }
            return platforms.isEmpty ? refuse(.noPlatformNamed) : nil
        }
    }

    /// The one rule of whether publishing may go ahead.
    private func publishRefusal(_ journal: ReleaseJournal) -> FlowRefusal? {
        let refuse = { (cause: FlowRefusal.Cause) in FlowRefusal(.publish, cause) }
        if kind == .build { return refuse(.buildIsNotPublished(id)) }
        switch stage {
        case .copying: return refuse(.copying)
        case .building: return refuse(.buildsRunning)
        case .publishing: return refuse(.publishingStarted)
        case .verified: return refuse(.verified(id))
        case .failed: return refuse(.publishFailed(id))
        case .declined: return refuse(.declined)
        case .cancelled: return refuse(.cancelled)
        case .refused: return refuse(.refused)
        case .built, .awaitingConfirmation: break
        }
        let leftOut = journal.platformsLeftOut
        if leftOut.count == journal.expectedPlatforms.count { return refuse(.nothingBuilt) }
        let unexcused = leftOut.filter { !excused.contains($0) }.map { platform in
            let record = journal[platform: platform]
            return FlowRefusal.UnbuiltPlatform(
                platform: platform, state: record?.state, error: record?.error?.message.split(separator: "\n").first.map(String.init))
        }
        return unexcused.isEmpty ? nil : refuse(.unbuilt(unexcused))
    }

    /// Why publishing `pending` is refused even with a confirmation: a full-version tag
    /// would get other bytes than the ones it holds, which needs `--allow-version-rewrite`.
    public static func refusal(publishing pending: PendingTagSet, allowVersionRewrite: Bool) -> FlowRefusal? {
        let rewrites = pending.rows.filter { $0.change == .move && $0.warnings.contains { $0.kind == .versionRewrite } }
        guard !rewrites.isEmpty, !allowVersionRewrite else { return nil }
        return FlowRefusal(.publish, .versionRewrite(rewrites))
    }

    /// How confirming `pending` must be given: with the version typed when an existing tag
    /// moves (a version rewrite always moves its tag).
    public static func requirement(for pending: PendingTagSet, typing version: String) -> ConfirmationRequirement {
        pending.moves.isEmpty ? .yes : .typedVersion(version)
    }

    /// Why `confirmation` does not confirm `pending` (shown with `requirement`), or nil when it does.
    public static func refusal(of confirmation: Confirmation, pending: PendingTagSet?, requirement: ConfirmationRequirement) -> FlowRefusal? {
        guard let pending, confirmation.pendingTagSet == pending else { return FlowRefusal(.publish, .confirmationMismatch(.publish)) }
        if case .typedVersion(let version) = requirement, !confirmation.assumed, confirmation.typedVersion != version {
            return FlowRefusal(.publish, .versionNotTyped(version))
        }
        return nil
    }
}
