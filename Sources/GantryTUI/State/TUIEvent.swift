import GantryEngine

extension TUIEvent {
    /// What happened to one platform's build; the console's mirror of the engine's build events.
    public enum BuildProgress: Hashable, Sendable {
        case queued
        case started(builder: String)
        /// Step `index` (1-based) of `total` began.
        case step(index: Int, total: Int, name: String)
        /// Step `index` of `total` finished.
        case stepDone(index: Int, total: Int)
        /// Step `index` of `total` was taken from the cache; `line` says so in the log, in
        /// place of the step's own line when that is the newest (one line per step).
        case stepCached(index: Int, total: Int, name: String, line: String)
        case log(String)
        case warning(String)
        /// Bytes moved of a push or upload (`total` nil when unknown).
        case transfer(current: Int64, total: Int64?)
        case pushing
        case pushed(digest: String)
        /// The image is built and pushed; `cached` when nothing had to be rebuilt.
        case finished(digest: String, cached: Bool)
        case failed(String)
        case cancelled
    }
}

/// Everything the engine side tells the console. Build progress streams in; the other
/// screens get whole new view-models from presenters.
public enum TUIEvent: Hashable, Sendable {
    case release(ReleaseViewModel)
    /// One platform's build progress; `image` names the family member it builds (nil for one image).
    case platform(Platform, TUIEvent.BuildProgress, image: String? = nil)
    case digests(DigestsViewModel)
    case pendingTags(PendingTagsViewModel)
    case publish(PublishViewModel)
    case audit(AuditViewModel)
    /// The history pane of the audit, for the registry row Enter was pressed on.
    case tagHistory(TagHistoryViewModel)
    case recover(RecoverViewModel)
    case journal(JournalViewModel)
    case home(HomeViewModel)
    /// Switch to a screen (e.g. pending tags once every platform is built).
    case show(ScreenID)
    /// A one-line message for the status line.
    case status(String)
    /// What the release flow allows now, with its reasons.
    case availability(FlowAvailability)
    /// Something Gantry wrote, read back or ran, for the command log.
    case activity(Activity)
    /// The engine side is done with this console: leave it with this outcome.
    case leave(ConsoleOutcome)
}
