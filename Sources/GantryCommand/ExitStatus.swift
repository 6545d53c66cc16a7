import ArgumentParser
import GantryEngine

/// One exit status scheme for every command: 0 success; 1 the operation failed, was
/// declined or found problems; 2 bad input (arguments, config, journal, files), a registry
/// that cannot be reached, or a tool or registry the checks before building found missing;
/// 128 + N when signal N interrupted it.
enum ExitStatus {
    static let failed: Int32 = 1
    static let badInput: Int32 = 2

    /// Throws the status of a run that ended: interrupted, failed, or nothing (success).
    static func conclude(succeeded: Bool, signal: Int32?) throws {
        if let signal { throw ExitCode(128 + signal) }
        guard succeeded else { throw ExitCode(failed) }
    }

    /// The status of a run that stopped with `error`.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let exit as ExitCode: return exit.rawValue
        case let interrupted as InterruptedError: return 128 + interrupted.signal
        case is ValidationError, is ConfigError, is VersionError, is ReferenceError, is PlatformError, is DigestArgumentError,
             is BuildMetadataError, is JournalError, is ReleaseIDError, is FileSystemError, is ToolchainPreflightError:
            return badInput
        case let flow as FlowError:
            switch flow.reason {
            case .configChanged, .configUnreadable, .notResumable, .nothingToResume, .notRollbackable, .publisherRefused: return badInput
            case .running, .repositoryBusy: return failed
            }
        case let tag as TagError:
            // A tag that moved since it was looked at is a refusal, like a publish's moved tag.
            return tag.reason == .moved ? failed : badInput
        case let registry as RegistryError:
            switch registry.kind {
            case .transport, .unauthorized, .denied, .credentials: return badInput
            default: return failed
            }
        default:
            return failed
        }
    }
}
