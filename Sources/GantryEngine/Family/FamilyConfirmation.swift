import Foundation

/// The one confirmation of a family: each member's flow asks its own question here and
/// waits; once every member has asked (or ended without asking), the family decides once.
///
/// - A member that ended without asking (a failed build, a refusal) means the family is not
///   whole: every member is answered "left", nothing is published, and the release resumes.
/// - Otherwise the user sees one pending set of every image and registry. A yes pushes every
///   image's index by digest to every registry (`FamilyIndexStaging`) before any member is
///   answered: only then do tags move, each member's re-resolved before its own PUT. A
///   staging failure answers "left": no tag moved.
actor FamilyConfirmation {
    private let outer: any ReleaseInteraction
    private let version: SemanticVersion
    private let staging: FamilyIndexStaging
    private let events: @Sendable (FamilyEvent) -> Void
    /// Members in config order.
    private let members: [String]
    private var requests: [String: ConfirmationRequest] = [:]
    private var waiting: [String: CheckedContinuation<ConfirmationAnswer, Never>] = [:]
    private var ended: Set<String> = []
    private var settling = false

    init(
        members: [String], version: SemanticVersion, outer: any ReleaseInteraction, staging: FamilyIndexStaging,
        events: @escaping @Sendable (FamilyEvent) -> Void
    ) {
        self.members = members
        self.version = version
        self.outer = outer
        self.staging = staging
        self.events = events
    }

    /// The interaction `member`'s flow answers through.
    nonisolated func interaction(for member: String) -> MemberInteraction { MemberInteraction(member: member, family: self) }

    /// Every member has asked or ended, and nobody decides yet.
    private var isReady: Bool { !settling && !requests.isEmpty && requests.count + ended.count >= members.count }

    /// `member`'s flow has returned (or failed): it will not ask. The last one to end or ask
    /// decides, in its own task: a cancellation of the family (Ctrl-C) reaches the question.
    func end(_ member: String) async {
        ended.insert(member)
        if isReady { _ = await settle(as: nil) }
    }

    fileprivate func ask(_ member: String, _ request: ConfirmationRequest) async -> ConfirmationAnswer {
        requests[member] = request
        if isReady { return await settle(as: member) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiting[member] = $0 }
        } onCancel: {
            Task { await self.withdraw(member) }
        }
    }

    /// A member cancelled while it waited (Ctrl-C): it leaves its question unanswered.
    private func withdraw(_ member: String) {
        guard !settling, let continuation = waiting.removeValue(forKey: member) else { return }
        requests[member] = nil
        continuation.resume(returning: .left)
    }

    fileprivate func cannotPublish(_ member: String, _ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        events(FamilyEvent(member: member, .message("\(member) cannot be published: \(refusal.reason)")))
        return await outer.cannotPublish(refusal, retryable: retryable)
    }

    /// Decides for everyone who asked; answers those waiting and returns `decider`'s own answer.
    private func settle(as decider: String?) async -> ConfirmationAnswer {
        settling = true
        let answers = await decide(requests)
        for (member, continuation) in waiting { continuation.resume(returning: answers[member] ?? .left) }
        waiting = [:]
        return decider.flatMap { answers[$0] } ?? .left
    }

    /// Every member's answer.
    private func decide(_ requests: [String: ConfirmationRequest]) async -> [String: ConfirmationAnswer] {
        let missing = members.filter { requests[$0] == nil }
        guard missing.isEmpty else {
            let message = "nothing of the family was published: \(missing.joined(separator: ", ")) cannot be published yet"
            await staging.note(message, members: Array(requests.keys))
            events(FamilyEvent(member: nil, .message(message)))
            return requests.mapValues { _ in .left }
        }
        let ordered = members.compactMap { name in requests[name].map { (name, $0) } }
        let merged = Self.merge(ordered)
        let requirement = FlowPolicy.requirement(for: merged, typing: version.description)
        events(FamilyEvent(member: nil, .pending(merged)))
        let answer = await outer.confirm(ConfirmationRequest(pending: merged, requirement: requirement, version: version))
        switch answer {
        case .declined: return requests.mapValues { _ in .declined }
        case .left: return requests.mapValues { _ in .left }
        case .confirmed(let confirmation):
            if let refusal = FlowPolicy.refusal(of: confirmation, pending: merged, requirement: requirement) {
                events(FamilyEvent(member: nil, .message("not published: \(refusal.reason)")))
                return requests.mapValues { _ in .declined }
            }
            do {
                try await staging.stage(ordered.map { ($0.0, $0.1) })
            } catch {
                let message = "no tag moved: staging the indexes failed: \(RecordedError(error).message)"
                await staging.note(message, members: Array(requests.keys))
                events(FamilyEvent(member: nil, .message(message)))
                return requests.mapValues { _ in .left }
            }
            return requests.mapValues { request in
                .confirmed(confirmation.assumed
                    ? .assumed(request.pending)
                    : Confirmation(confirming: request.pending, typedVersion: confirmation.typedVersion))
            }
        }
    }

    /// The members' pending sets as one, each row and index naming its image.
    static func merge(_ requests: [(String, ConfirmationRequest)]) -> PendingTagSet {
        var rows: [PendingTag] = []
        var targets: [IndexTarget] = []
        var warnings: [PendingWarning] = []
        for (member, request) in requests {
            rows += request.pending.rows.map { row in
                var row = row
                row.member = member
                return row
            }
            targets += request.pending.targets.map { target in
                var target = target
                target.member = member
                return target
            }
            for warning in request.pending.warnings ?? [] where !warnings.contains(warning) { warnings.append(warning) }
        }
        return PendingTagSet(rows: rows, targets: targets, warnings: warnings.isEmpty ? nil : warnings)
    }
}

/// How one member's flow answers: through the family's one confirmation.
struct MemberInteraction: ReleaseInteraction {
    let member: String
    let family: FamilyConfirmation

    func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer {
        await family.cannotPublish(member, refusal, retryable: retryable)
    }

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer {
        await family.ask(member, request)
    }
}
