import Foundation

/// The flow's builds: each platform's outcome is journaled before it is reported.
extension ReleaseFlow {
    /// Stops one platform's build.
    public func cancel(_ platform: Platform) async throws {
        if let refusal = await refusal(for: .cancel(platform)) { throw refusal }
        await runner?.cancel(platform)
    }

    /// Stops every build (quit or a signal); the release ends cancelled.
    public func cancelBuilds() async {
        cancelRequested = true
        await runner?.cancelAll()
    }

    /// Stops the builds still running and waits for them and their journaling.
    func stopBuilds() async {
        if let runner {
            await runner.cancelAll()
            await runner.finish()
        }
        await forwarding?.value
    }

    /// Builds every platform without a usable digest; a digest journaled earlier is reused
    /// when every registry holds it, or once it is copied into those that lack it.
    func buildMissing() async throws {
        enter(.building)
        let journal = await recorder.journal
        let placed = try await placeEverywhere(journal.platforms)
        var toBuild: [Platform] = []
        for record in journal.platforms {
            if let result = record.result, placed.contains(record.platform) {
                try await recorder.update("\(record.platform): reusing \(Digest.short(result.manifestDigest)), already in every registry") {
                    $0[platform: record.platform] = ReleaseJournal.PlatformRecord(platform: record.platform, state: .reused, result: result)
                }
                events(.build(BuildEvent(record.platform, .reused(result))))
                continue
            }
            toBuild.append(record.platform)
        }
        try await build(toBuild)
    }

    /// Builds `platforms` again after they failed or were cancelled.
    func retry(_ platforms: [Platform]) async throws {
        for platform in platforms {
            if let refusal = await refusal(for: .retry(platform)) { throw refusal }
        }
        cancelRequested = false
        try await build(platforms)
    }

    private func build(_ platforms: [Platform]) async throws {
        enter(.building)
        try await recorder.update(platforms.isEmpty ? "nothing to build" : "building \(platforms.map(\.description).joined(separator: ", "))") {
            $0.phase = .building
            for p in platforms { $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .building) }
        }
        events(.phase(.building))
        if !platforms.isEmpty {
            let runner = try self.runner ?? startRunner()
            let target = outcomes.next(of: platforms)
            _ = await withTaskCancellationHandler {
                await runner.run(only: platforms)
            } onCancel: {
                Task { await self.cancelBuilds() }
            }
            if !outcomes.isReached(target) { await withCheckedContinuation { outcomes.wait(for: target, $0) } }
            if let journalFailure { throw journalFailure }
        }
        let cancelled = cancelRequested || Task.isCancelled
        let built = try await recorder.update {
            let done = $0.platforms.allSatisfy(\.state.hasDigest)
            $0.phase = done ? .built : (cancelled ? .cancelled : .failed)
        }
        enter(built.phase == .cancelled ? .cancelled : .built)
        events(.phase(built.phase))
    }

    private func startRunner() throws -> BuildRunner {
        guard let version else { throw FlowError(.notResumable, "\(id) has no version to build") }
        let runner = BuildRunner(
            config: config, version: version, revision: settings.revision, folder: folder,
            driver: toolchain.driver(), failFast: settings.failFast)
        self.runner = runner
        forwarding = Task { await self.forward(runner.events) }
        return runner
    }

    /// Journals each platform's outcome, then reports it: a kill in between never loses a
    /// pushed platform that was already shown as finished.
    private func forward(_ stream: AsyncStream<BuildEvent>) async {
        for await event in stream {
            guard event.isTerminal else {
                events(.build(event))
                continue
            }
            do {
                try await journalOutcome(event)
                events(.build(event))
            } catch {
                journalFailure = journalFailure ?? error
                await runner?.cancelAll()
            }
            for waiter in outcomes.journaled(event.platform) { waiter.resume() }
        }
    }

    private func journalOutcome(_ event: BuildEvent) async throws {
        let p = event.platform
        switch event.kind {
        case .finished(let result):
            try await recorder.update("\(p) built: \(Digest.short(result.manifestDigest))") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .built, result: result)
            }
        case .failed(let failure):
            try await recorder.update("\(p) failed") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .failed, error: RecordedError(failure))
            }
        case .cancelled:
            try await recorder.update("\(p) cancelled") {
                $0[platform: p] = ReleaseJournal.PlatformRecord(platform: p, state: .cancelled)
            }
        default: break
        }
    }
}

/// How many terminal build events were journaled so far, per platform, and who waits for
/// some: a build is over once every outcome it started is on disk.
struct JournaledOutcomes {
    private var counts: [Platform: Int] = [:]
    private var waiters: [(target: [Platform: Int], continuation: CheckedContinuation<Void, Never>)] = []

    /// The counts once each of `platforms` has journaled one more outcome.
    func next(of platforms: [Platform]) -> [Platform: Int] {
        Dictionary(uniqueKeysWithValues: platforms.map { ($0, counts[$0, default: 0] + 1) })
    }

    func isReached(_ target: [Platform: Int]) -> Bool {
        target.allSatisfy { counts[$0.key, default: 0] >= $0.value }
    }

    mutating func wait(for target: [Platform: Int], _ continuation: CheckedContinuation<Void, Never>) {
        waiters.append((target, continuation))
    }

    /// Counts one more outcome of `platform`; returns the waiters whose target it reached.
    mutating func journaled(_ platform: Platform) -> [CheckedContinuation<Void, Never>] {
        counts[platform, default: 0] += 1
        var ready: [CheckedContinuation<Void, Never>] = []
        var waiting: [(target: [Platform: Int], continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in waiters {
            if isReached(waiter.target) { ready.append(waiter.continuation) } else { waiting.append(waiter) }
        }
        waiters = waiting
        return ready
    }
}
