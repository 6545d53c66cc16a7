import Foundation

/// Builds the platforms of a release in parallel (up to `parallel` at once), each in
/// isolation: a failure stops only its platform unless `failFast` is set. Streams every
/// event on `events` (the release flow journals each outcome before reporting it), and
/// lets one platform be cancelled, or built again by a later `run(only:)`.
public actor BuildRunner {
    /// Every event of every platform, in the order they happened per platform.
    /// Ends when `finish()` is called.
    public nonisolated let events: AsyncStream<BuildEvent>
    private let continuation: AsyncStream<BuildEvent>.Continuation

    private let driver: any BuildDriver
    private let jobs: [Platform: BuildJob]
    /// Platforms in config order.
    public nonisolated let platforms: [Platform]
    private let parallel: Int
    private let failFast: Bool
    private let channels: [Platform: PlatformChannel]
    /// Log lines kept per platform: enough for the failure report and a log pane.
    public static let ringCapacity = 200
    private var running: [Platform: Task<BuildOutcome, Never>] = [:]
    private var attempts: [Platform: Int] = [:]
    private var outcomes: [Platform: BuildOutcome] = [:]
    /// Platforms cancelled before they started.
    private var withdrawn: Set<Platform> = []
    private var stopping = false

    /// - Parameters:
    ///   - only: build only these platforms (default: every platform of the config).
    ///   - parallel: how many build at once (default: the config's `parallel`).
    public init(
        config: ReleaseConfig, version: SemanticVersion, revision: String?, folder: ReleaseFolder,
        driver: any BuildDriver, only: [Platform]? = nil, parallel: Int? = nil, failFast: Bool = false
    ) {
        let targets = config.platforms.filter { only?.contains($0.platform) ?? true }
        let (events, continuation) = AsyncStream.makeStream(of: BuildEvent.self)
        self.events = events
        self.continuation = continuation
        self.driver = driver
        self.platforms = targets.map(\.platform)
        self.jobs = Dictionary(uniqueKeysWithValues: targets.map {
            ($0.platform, BuildJob(config: config, target: $0, version: version, revision: revision, folder: folder))
        })
        self.parallel = max(1, parallel ?? config.parallel)
        self.failFast = failFast
        self.channels = Dictionary(uniqueKeysWithValues: targets.map {
            ($0.platform, PlatformChannel(platform: $0.platform, continuation: continuation, ringCapacity: Self.ringCapacity))
        })
    }

    /// Builds `subset` (default: every platform) and returns how each platform ended so
    /// far. Running it again for platforms that failed or were cancelled retries them.
    /// Cancelling the calling task cancels every build (SIGTERM, then SIGKILL to each
    /// build's process group).
    public func run(only subset: [Platform]? = nil) async -> [Platform: BuildOutcome] {
        let targets = subset.map { wanted in platforms.filter(wanted.contains) } ?? platforms
        stopping = false
        withdrawn.subtract(targets)
        for platform in targets { channels[platform]?.emit(.queued) }
        await withTaskGroup(of: (Platform, BuildOutcome).self) { group in
            var queue = targets[...]
            var active = 0
            while !queue.isEmpty || active > 0 {
                while active < parallel, let platform = queue.popFirst() {
                    if stopping || withdrawn.contains(platform) || Task.isCancelled {
                        conclude(platform, .cancelled)
                        continue
                    }
                    let task = start(platform)
                    group.addTask { (platform, await Self.outcome(of: task)) }
                    active += 1
                }
                guard active > 0, let (platform, outcome) = await group.next() else { continue }
                active -= 1
                conclude(platform, outcome)
            }
        }
        return outcomes
    }

    /// Cancels one platform's build, running or still queued.
    public func cancel(_ platform: Platform) {
        if let task = running[platform] { task.cancel() } else { withdrawn.insert(platform) }
    }

    /// Cancels every build, running or queued.
    public func cancelAll() {
        stopping = true
        for task in running.values { task.cancel() }
    }

    /// Ends the event stream; call once no more builds or retries will run.
    public func finish() {
        continuation.finish()
    }

    /// The last `count` log lines of a platform, oldest first.
    public func recentLog(_ platform: Platform, count: Int = BuildFailure.logLineCount) -> [String] {
        channels[platform]?.recentLog(count) ?? []
    }

    /// How each platform ended so far.
    public var results: [Platform: BuildOutcome] { outcomes }

    private func start(_ platform: Platform) -> Task<BuildOutcome, Never> {
        let attempt = attempts[platform, default: 0] + 1
        attempts[platform] = attempt
        let (job, channel, driver) = (jobs[platform]!, channels[platform]!, driver)
        // Detached (the build is not the caller's child), yet its commands and pushes go to the caller's command log.
        let activities = ActivityLog.sink
        let task = Task.detached { () -> BuildOutcome in
            await ActivityLog.$sink.withValue(activities) { await Self.build(job, channel: channel, driver: driver, attempt: attempt) }
        }
        running[platform] = task
        return task
    }

    /// Builds one platform with `driver`; how it ended.
    private static func build(_ job: BuildJob, channel: PlatformChannel, driver: any BuildDriver, attempt: Int) async -> BuildOutcome {
        channel.emit(.started(driver: driver.name, attempt: attempt))
        do {
            return .succeeded(try await driver.build(job, emit: channel.emit))
        } catch {
            if error is CancellationError || Task.isCancelled { return .cancelled }
            let driverError = error as? BuildDriverError
            return .failed(BuildFailure(
                platform: job.target.platform, step: driverError?.step, message: driverError?.message ?? "\(error)",
                recentLog: channel.recentLog(BuildFailure.logLineCount)))
        }
    }

    /// Waits for a build, passing the waiter's cancellation on to it.
    private static func outcome(of task: Task<BuildOutcome, Never>) async -> BuildOutcome {
        await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }

    /// Records how a platform ended and reports it.
    private func conclude(_ platform: Platform, _ outcome: BuildOutcome) {
        running[platform] = nil
        outcomes[platform] = outcome
        let channel = channels[platform]
        switch outcome {
        case .succeeded(let result): channel?.emit(.finished(result))
        case .failed(let failure):
            channel?.emit(.failed(failure))
            if failFast { cancelAll() }
        case .cancelled: channel?.emit(.cancelled)
        }
    }
}
