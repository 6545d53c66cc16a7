import Foundation

/// A family release: every image and variant of a config released as one (Family/). Each
/// member is a `ReleaseFlow` with its own journal linked to the family (`FamilyLink`); the
/// family owns what spans them:
///
/// - one `parallel` limit for every image × platform (`BuildSlots`);
/// - one pending set and one confirmation (`FamilyConfirmation`): nothing is published
///   unless every member can be;
/// - every index pushed by digest to every registry before the first tag moves
///   (`FamilyIndexStaging`); then each member's tags move, re-resolved before each PUT, and
///   are read back;
/// - one id: `gantry resume ID` continues every member that is not verified.
///
/// Members are published by Gantry itself (the native publisher): imagetools cannot push an
/// index without moving a tag.
public enum FamilyRelease {
    /// Runs `request` to its end; `interaction` answers the family's one question.
    public static func run(
        _ request: FamilyRequest, in environment: FlowEnvironment, interaction: some ReleaseInteraction,
        events: @escaping @Sendable (FamilyEvent) -> Void = { _ in }
    ) async throws -> FamilyOutcome {
        let plan = try await FamilyRunPlan.make(request, in: environment)
        var environment = environment
        environment.buildSlots = BuildSlots(plan.parallel)
        environment.family = plan.id
        if let client = environment.client { return await run(plan, in: environment, client: client, interaction: interaction, events: events) }
        let client = try RegistryClient.forFlow(registries: plan.registries, environment: environment)
        environment.client = client
        let outcome = await run(plan, in: environment, client: client, interaction: interaction, events: events)
        try? await client.shutdown()  // the outcome is journaled; a client that fails to close changes none of it
        return outcome
    }

    private static func run(
        _ plan: FamilyRunPlan, in environment: FlowEnvironment, client: RegistryClient, interaction: some ReleaseInteraction,
        events: @escaping @Sendable (FamilyEvent) -> Void
    ) async -> FamilyOutcome {
        let staging = FamilyIndexStaging(client: client, state: environment.state, id: plan.id)
        let confirmation = FamilyConfirmation(
            members: plan.runs.map(\.member), version: plan.version, outer: interaction, staging: staging, events: events)
        events(FamilyEvent(member: nil, .message("family \(plan.id): \(plan.runs.map(\.member).joined(separator: ", ")) \(plan.version)")))
        let ran = await withTaskGroup(of: (String, Result<FlowOutcome, any Error>).self) { group in
            for run in plan.runs {
                let environment = environment
                group.addTask {
                    let result: Result<FlowOutcome, any Error>
                    do {
                        result = .success(try await ReleaseFlow.with(run.request, in: environment, events: { event in
                            // The members' own pending sets are shown once, merged, by the family.
                            if case .pending = event { return }
                            events(FamilyEvent(member: run.member, event))
                        }) { flow in
                            await staging.register(run.member, flow)
                            return try await flow.run(confirmation.interaction(for: run.member))
                        })
                    } catch {
                        result = .failure(error)
                    }
                    await confirmation.end(run.member)
                    return (run.member, result)
                }
            }
            var ran: [String: Result<FlowOutcome, any Error>] = [:]
            for await (member, result) in group { ran[member] = result }
            return ran
        }
        await staging.releaseLocks()
        let members = plan.members.map { name -> FamilyOutcome.Member in
            if let done = plan.finished[name] { return FamilyOutcome.Member(name: name, outcome: done) }
            switch ran[name] {
            case .success(let outcome): return FamilyOutcome.Member(name: name, outcome: outcome)
            case .failure(let error): return FamilyOutcome.Member(name: name, error: RecordedError(error))
            case nil: return FamilyOutcome.Member(name: name, error: RecordedError(kind: "family.notRun", message: "\(name) did not run"))
            }
        }
        // Unreadable journals cannot be resumed either: no resume is offered then.
        let journals = (try? FamilyJournals.members(of: plan.id, in: JournalStore(state: environment.state))) ?? []
        return FamilyOutcome(id: plan.id, members: members, journaled: Set(journals.compactMap { $0.family?.member }))
    }
}

/// What a family request runs: one flow request per member still to do, and the members
/// a resume finds verified already.
struct FamilyRunPlan {
    var id: ReleaseID
    var version: SemanticVersion
    var registries: [RegistryTarget]
    var parallel: Int
    /// Every member, in config order.
    var members: [String]
    var runs: [(member: String, request: FlowRequest)]
    var finished: [String: FlowOutcome]

    static func make(_ request: FamilyRequest, in environment: FlowEnvironment) async throws -> FamilyRunPlan {
        switch request {
        case .release(let written, let version, let options):
            return try await starting(written, version, options, in: environment) { member, flow in .release(member.config, version, flow) }
        case .publish(let written, let version, let sources, let options):
            return try await starting(written, version, options, in: environment) { member, flow in
                guard let given = sources[member.name] else {
                    throw FamilyError(.unknownMember, "no digests were given for \(member.name); every image of the family needs its own")
                }
                return .publish(member.config, version, sources: given, flow)
            }
        case .promote(let written, let version, let from, let to, let options):
            return try await starting(written, version, options, in: environment) { member, flow in
                .promote(member.config, version, from: from, to: to, flow)
            }
        case .resume(let id):
            return try resuming(id, in: environment)
        }
    }

    /// A new family release of `written` (its Bake group read, `--only` applied): each
    /// member's flow request, made by `request` from the member and its options.
    private static func starting(
        _ written: ReleaseConfig, _ version: SemanticVersion, _ options: FamilyOptions, in environment: FlowEnvironment,
        request: (FamilyMember, FlowOptions) throws -> FlowRequest
    ) async throws -> FamilyRunPlan {
        let family = try await ImageFamily.resolving(written, docker: environment.docker, environment: environment.environment).only(options.only)
        let config = family.config
        for (name, platforms) in options.allowPartial {
            guard let member = family.member(name) else {
                throw FamilyError(.unknownMember, "--allow-partial \(name): not an image of this release; its images: \(family.members.map(\.name).joined(separator: ", "))")
            }
            if let unknown = platforms.first(where: { platform in !member.config.platforms.contains { $0.platform == platform } }) {
                throw FamilyError(.partialPlatform, "--allow-partial \(name):\(unknown): \(name) does not build \(unknown)")
            }
        }
        let id = ReleaseID.make(image: "\(config.image)-family", version: version, date: environment.now())
        let runs = try family.members.enumerated().map { position, member -> (member: String, request: FlowRequest) in
            var flow = options.flow
            // Every index must be pushed before any tag moves: only Gantry's own publisher can.
            flow.publisher = .native
            flow.allowPartial = options.allowPartial[member.name] ?? []
            flow.family = FamilyLink(id: id, member: member.name, position: position, members: family.members.map(\.name))
            return (member.name, try request(member, flow))
        }
        return FamilyRunPlan(
            id: id, version: version, registries: config.registries, parallel: config.parallel, members: family.members.map(\.name),
            runs: runs, finished: [:])
    }

    /// A journaled family release: every member not verified yet goes on from its journal.
    private static func resuming(_ id: ReleaseID, in environment: FlowEnvironment) throws -> FamilyRunPlan {
        let store = JournalStore(state: environment.state)
        let journals = try FamilyJournals.members(of: id, in: store)
        guard let first = journals.first, let version = first.version, let settings = first.settings else {
            throw FlowError(.nothingToResume, "no family release \(id) in \(environment.state.root.path) (see `gantry journal list`)")
        }
        let config = try ReleaseConfigLoader.load(path: settings.configPath)
        let journaled = Set(journals.compactMap { $0.family?.member })
        if let link = first.family, case let missing = link.members.filter({ !journaled.contains($0) }), !missing.isEmpty {
            // It stopped before its journal existed, so the family asked nothing and published nothing.
            throw FlowError(.notResumable, "\(missing.joined(separator: ", ")) of the family release \(id) never started (no journal): nothing of it was published; release \(version) again")
        }
        var runs: [(member: String, request: FlowRequest)] = []
        var finished: [String: FlowOutcome] = [:]
        for journal in journals {
            let name = journal.family?.member ?? journal.image
            if journal.phase == .verified {
                finished[name] = FlowOutcome(journal: journal, stage: .verified, refusal: nil)
            } else {
                runs.append((name, .resume(journal.id, config: nil)))
            }
        }
        return FamilyRunPlan(
            id: id, version: version, registries: config.registries, parallel: config.parallel,
            members: journals.map { $0.family?.member ?? $0.image }, runs: runs, finished: finished)
    }
}
