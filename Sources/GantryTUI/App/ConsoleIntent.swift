import GantryEngine

/// What the console asks the engine side to do.
public enum ConsoleIntent: Hashable, Sendable {
    /// Start (or show) the release of the configured version.
    case startRelease
    case audit(reference: String)
    case resume(id: String)
    case inspect(id: String)
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
}
