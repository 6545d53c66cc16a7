import GantryEngine

/// What the console asks the engine side to do.
public enum ConsoleIntent: Hashable, Sendable {
    /// Release this version of the configured image (typed or picked on the new release screen).
    case startRelease(version: String)
    case audit(reference: String)
    /// Read the release records of this tag (`registry/repository:tag`) into the audit's history pane.
    case history(reference: String)
    case resume(id: String)
    /// Run the repair the engine proposed for the selected audit finding (in the release console).
    case repair(RepairOperation)
    case inspect(id: String)
    /// Dismiss an unfinished release from Recover (its journal says abandoned; nothing is deleted).
    case dismiss(id: String)
    /// Preview rolling back this journal's release in the console, then run it once confirmed.
    case rollback(id: String)
    /// Publish the platforms read from these paths (digests or buildx metadata) under this version.
    case publishDigests(version: String, paths: [String])
    /// The user confirmed publishing the pending tags (with the version they typed, when asked).
    case publish(typedVersion: String?)
    /// The user closed the confirmation with Esc: nothing is published.
    case decline
    /// Build this failed or cancelled platform again.
    case retry(Platform)
    /// Stop this platform's build.
    case cancel(Platform)
    /// Publish without these failed or cancelled platforms (confirmed in a dialog).
    case publishWithout([Platform])
    /// Cancel running builds (quit while building, or a signal).
    case cancelBuilds
    /// Leave the console.
    case quit
    /// Leave this console for the live Home beneath it (it was opened from Home).
    case home
}
