import GantryEngine

/// The data behind every screen, updated by applying `TUIEvent`s.
///
/// Applying an event is cheap (no drawing); the console marks itself dirty and the loop
/// redraws at its own pace.
public struct ReleaseState: Hashable, Sendable {
    public var release: ReleaseViewModel
    public var digests: DigestsViewModel = .empty
    public var pendingTags: PendingTagsViewModel = .empty
    public var publish: PublishViewModel = .empty
    public var audit: AuditViewModel = .empty
    public var recover: RecoverViewModel = .empty
    public var journal: JournalViewModel = .empty
    public var home: HomeViewModel = .empty
    /// What the release flow allows now (publish, retry, cancel, publish without), with reasons.
    public var availability = FlowAvailability.initial
    public var commandLog = CommandLog()
    private var rowIndex: [PlatformRow.Key: Int] = [:]

    public init(release: ReleaseViewModel = ReleaseViewModel(header: ReleaseHeader(image: "", version: "", registries: [], builders: []), rows: [])) {
        self.release = release
        reindex()
    }

    /// Applies one event at console time `now` (seconds).
    public mutating func apply(_ event: TUIEvent, now: Double) {
        switch event {
        case .release(let vm): release = vm; reindex()
        case .platform(let platform, let progress, let image): apply(progress, to: PlatformRow.Key(image: image, platform: platform), now: now)
        case .digests(let vm): digests = vm
        case .pendingTags(let vm): pendingTags = vm
        case .publish(let vm): publish = Self.stamped(vm, previous: publish, now: now)
        case .audit(let vm): audit = vm
        case .tagHistory(let vm): audit.history = vm
        case .recover(let vm): recover = vm
        case .journal(let vm): journal = vm
        case .home(let vm): home = vm
        case .availability(let value): availability = value
        case .activity(let activity): commandLog.append(activity)
        case .show, .status, .leave: break
        }
    }

    private mutating func apply(_ progress: TUIEvent.BuildProgress, to key: PlatformRow.Key, now: Double) {
        let i: Int
        if let known = rowIndex[key] {
            i = known
        } else {
            release.rows.append(PlatformRow(platform: key.platform, builder: "", image: key.image))
            i = release.rows.count - 1
            rowIndex[key] = i
        }
        // In place: copying the row out would copy its log buffer on every event.
        Self.update(&release.rows[i], with: progress, now: now)
    }

    private static func update(_ row: inout PlatformRow, with progress: TUIEvent.BuildProgress, now: Double) {
        switch progress {
        case .queued:
            row.state = .queued
        case .started(let builder):
            row.state = .building
            row.builder = Sanitizer.clean(builder)
            row.startedAt = now
        case .step(let index, let total, let name):
            if row.startedAt == nil { row.startedAt = now; row.state = .building }
            row.stepsTotal = max(total, 0)
            row.stepsDone = min(max(index - 1, 0), row.stepsTotal)
            row.currentStep = Sanitizer.clean(name)
            row.lastStep = row.currentStep
            row.log.append(row.currentStep)
        case .stepDone(let index, let total):
            row.stepsTotal = max(total, 0)
            row.stepsDone = min(max(index, row.stepsDone), row.stepsTotal)
        case .stepCached(let index, let total, let name, let line):
            row.stepsTotal = max(total, 0)
            row.stepsDone = min(max(index, row.stepsDone), row.stepsTotal)
            // Builders report a cached step as started, then cached: one line, not two.
            let clean = Sanitizer.clean(line)
            if row.log.last == Sanitizer.clean(name) { row.log.replaceLast(with: clean) } else { row.log.append(clean) }
        case .log(let line):
            row.log.append(Sanitizer.clean(line))
        case .warning(let line):
            row.log.append("warning: " + Sanitizer.clean(line))
        case .transfer(let current, let total):
            let amount = formatBytes(Int(current)) + (total.map { " of " + formatBytes(Int($0)) } ?? "")
            row.currentStep = (row.state == .pushing ? "pushing " : "sending ") + amount
        case .pushing:
            row.state = .pushing
            row.stepsDone = row.stepsTotal
            row.currentStep = "pushing"
        case .pushed(let digest):
            row.digest = digest
        case .finished(let digest, let cached):
            // A digest imported from elsewhere is "reused" by the flow; it stays shown as imported.
            if !(cached && row.state == .imported) { row.state = cached ? .cached : .done }
            row.digest = digest
            row.stepsDone = row.stepsTotal
            row.currentStep = ""
            row.endedAt = now
        case .failed(let message):
            row.state = .failed
            row.failure = Sanitizer.clean(message)
            row.currentStep = row.failure ?? ""
            row.log.append("error: " + (row.failure ?? ""))
            row.endedAt = now
        case .cancelled:
            row.state = .cancelled
            row.currentStep = ""
            row.endedAt = now
        }
    }

    /// `model` with each registry's phase start time: kept while its phase is unchanged,
    /// `now` when it changed, so the screen can say how long a registry has been silent.
    private static func stamped(_ model: PublishViewModel, previous: PublishViewModel, now: Double) -> PublishViewModel {
        var model = model
        for i in model.registries.indices {
            let before = previous.registries.first { $0.registry == model.registries[i].registry }
            model.registries[i].since = before?.phase == model.registries[i].phase ? (before?.since ?? now) : now
        }
        return model
    }

    private mutating func reindex() {
        rowIndex = Dictionary(release.rows.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
