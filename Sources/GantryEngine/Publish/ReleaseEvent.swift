/// Progress of a release, publish, resume or rollback, for the TUI and plain/JSON output.
public enum ReleaseEvent: Sendable, Equatable {
    /// A build event of one platform.
    case build(BuildEvent)
    /// The journal moved to a new phase.
    case phase(ReleaseJournal.Phase)
    /// The pending tag set is ready for confirmation.
    case pending(PendingTagSet)
    /// A digest was copied into a registry that lacked it (a promotion, or a platform
    /// found in another registry instead of being rebuilt).
    case copied(CopyReport)
    /// One registry's publication changed state.
    case registry(ReleaseJournal.RegistryPublication)
    /// A line for the user (a skipped platform, a held tag, an imagetools output line).
    case message(String)
    /// What Gantry wrote, read back or ran, for the command log.
    case activity(Activity)
}
