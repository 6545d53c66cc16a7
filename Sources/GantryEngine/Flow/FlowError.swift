/// Why a flow cannot start or go on: another process owns it, its config changed, its
/// journal cannot be used. Nothing was published when one of these is thrown.
public struct FlowError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// Another process runs the release (holds its lock).
        case running
        /// Another Gantry process is publishing the same repository.
        case repositoryBusy
        /// The config file is not the one the release started with.
        case configChanged
        case configUnreadable
        /// The journal predates recorded settings, is of a kind that cannot resume, or is finished.
        case notResumable
        /// No release to resume.
        case nothingToResume
        /// The journal published no tag a rollback could move back (a build, a rollback, nothing published).
        case notRollbackable
        /// The publisher asked for cannot keep a promise of the config (`require: {record: true}` with imagetools).
        case publisherRefused
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var code: String { "flow.\(reason.rawValue)" }
    public var description: String { message }

    /// Another process holds the publish lock of `repository`.
    static func repositoryBusy(_ repository: ImageReference, _ holder: FileLock.Holder?) -> FlowError {
        FlowError(.repositoryBusy, "another Gantry process is publishing \(repository.name) (\(holder?.purpose ?? "unknown"), \(holder?.description ?? "")); \(repository.registry) was not touched")
    }

    static func running(_ id: ReleaseID, _ holder: FileLock.Holder?) -> FlowError {
        FlowError(.running, "release \(id) is running (\(holder?.description ?? "by another process")); wait for it, or stop that process first")
    }
}
