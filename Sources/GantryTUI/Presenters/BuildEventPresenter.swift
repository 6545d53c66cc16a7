import GantryEngine

/// Maps the engine's build events onto the console's per-platform progress.
public enum BuildEventPresenter {
    /// The console events for one build event (steps without a position become log lines);
    /// `image`: the family member it builds.
    public static func events(for event: BuildEvent, image: String? = nil) -> [TUIEvent] {
        progress(for: event.kind).map { .platform(event.platform, $0, image: image) }
    }

    static func progress(for kind: BuildEvent.Kind) -> [TUIEvent.BuildProgress] {
        switch kind {
        case .queued:
            return [.queued]
        case .started(let driver, let attempt):
            return [.started(builder: attempt > 1 ? "\(driver) (attempt \(attempt))" : driver)]
        case .stepStarted(let step):
            guard let index = step.index, let total = step.total else { return [.log(step.name)] }
            return [.step(index: index, total: total, name: step.name)]
        case .stepFinished(let step):
            guard let index = step.index, let total = step.total else { return [] }
            return [.stepDone(index: index, total: total)]
        case .stepCached(let step):
            guard let index = step.index, let total = step.total else { return [.log("CACHED " + step.name)] }
            return [.stepCached(index: index, total: total, name: step.name, line: "CACHED " + step.label)]
        case .stepFailed(let step, let error):
            return [.log("\(step.label): \(error)")]
        case .bytes(_, let current, let total):
            // Some builders report a total of 0 while they do not know it yet.
            return [.transfer(current: current, total: total.flatMap { $0 > 0 ? $0 : nil })]
        case .log(let line):
            return [.log(line)]
        case .warning(let message):
            return [.warning(message)]
        case .pushed(_, let digest):
            return [.pushed(digest: digest)]
        case .finished(let result):
            return [.finished(digest: result.manifestDigest, cached: false)]
        case .reused(let result):
            return [.finished(digest: result.manifestDigest, cached: true)]
        case .failed(let failure):
            return [.failed(failure.message)]
        case .cancelled:
            return [.cancelled]
        }
    }
}
