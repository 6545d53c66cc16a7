/// What a family release is asked to do.
public enum FamilyRequest: Sendable {
    /// Build every image × platform of the version, then publish all of it with one confirmation.
    case release(ReleaseConfig, SemanticVersion, FamilyOptions)
    /// Publish digests that already exist in the registries (CI's builds), by member name:
    /// the same one confirmation, staging and journal as a release, without building.
    case publish(ReleaseConfig, SemanticVersion, sources: [String: [PlatformSource]], FamilyOptions)
    /// Promote a family verified in `from` (need not be configured): every image's index
    /// copied by digest to `to` (default: every configured registry but `from`), then one
    /// confirmation, and every image's tags moved, as a release's.
    case promote(ReleaseConfig, SemanticVersion, from: String, to: [String]?, FamilyOptions)
    /// Continue a family release by its id: each member not verified yet goes on from its journal.
    case resume(ReleaseID)
}

/// The choices of a new family release.
public struct FamilyOptions: Sendable {
    /// What every member's flow runs with (the publisher is Gantry's own: see `FamilyRelease`).
    public var flow: FlowOptions
    /// Release only these members (`--only acme/worker acme/app:slim`); empty: all.
    public var only: [String]
    /// Platforms a member's index may leave out (`--allow-partial acme/app:slim:linux/arm64`).
    public var allowPartial: [String: Set<Platform>]

    public init(flow: FlowOptions = FlowOptions(), only: [String] = [], allowPartial: [String: Set<Platform>] = [:]) {
        self.flow = flow
        self.only = only
        self.allowPartial = allowPartial
    }

    /// `IMAGE:PLATFORM` (`acme/app:slim:linux/arm64`): the member is everything before the
    /// last `:` (a platform has none).
    public static func partial(_ text: String) throws(FamilyError) -> (member: String, platform: Platform) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex else {
            throw FamilyError(.partialPlatform, "\"\(text)\" is not IMAGE:PLATFORM, such as acme/worker:linux/arm64")
        }
        do {
            return (String(text[..<colon]), try Platform.parse(String(text[text.index(after: colon)...])))
        } catch {
            throw FamilyError(.partialPlatform, "\"\(text)\" is not IMAGE:PLATFORM: \(error.description)")
        }
    }
}

/// One event of a family release: a member's (`member` names it) or the family's own (nil),
/// such as the one pending tag set of every image.
public struct FamilyEvent: Sendable {
    public var member: String?
    public var event: ReleaseEvent
    public init(member: String?, _ event: ReleaseEvent) {
        self.member = member
        self.event = event
    }
}

/// How a family release ended: each member's outcome (or the error that stopped it), in config order.
public struct FamilyOutcome: Sendable {
    public var id: ReleaseID
    public var members: [Member]
    /// The members with a journal: a member stopped before its journal existed (its checks
    /// before building failed) is not resumable, so neither is the family.
    public var journaled: Set<String>

    public struct Member: Sendable {
        public var name: String
        public var outcome: FlowOutcome?
        public var error: RecordedError?
    }

    /// Every member verified.
    public var succeeded: Bool { members.allSatisfy { $0.outcome?.succeeded == true } }

    /// The command that goes on from here.
    public var next: String? {
        if succeeded { return members.first?.outcome?.next }
        guard members.allSatisfy({ journaled.contains($0.name) }) else { return nil }
        let resumable = members.contains { $0.error != nil || $0.outcome?.next?.hasPrefix("gantry resume") == true }
        return resumable ? "gantry resume \(id)" : nil
    }
}
