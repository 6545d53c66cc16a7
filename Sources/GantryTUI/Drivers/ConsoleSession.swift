import Foundation
import GantryEngine

/// `gantry` with no arguments: Home, and every console opened from it, on one terminal.
/// Going back from a release, resume, repair or publish opens Home afresh (config, journals
/// and tags read again), so Home never shows what was true before the work just done.
public enum ConsoleSession {
    /// How the session ended.
    public enum End: Sendable {
        /// The user quit at Home.
        case quit
        /// A signal closed Home.
        case interrupted(signal: Int32)
        /// A console opened from Home ended the session (`q`, or a signal): its result.
        case flow(ReleaseConsole.Result)
    }

    /// A console opened from Home needed the config, and it was no longer there.
    public struct ConfigGone: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): the release config is no longer there (it was when Home read it)" }
    }

    /// Runs the session on `terminal`, its flows in `environment`. `loadConfig` reads the
    /// config each time Home opens (nil: there is none, which Home can work without); its
    /// error is shown on Home.
    public static func run(
        configPath: String, loadConfig: @Sendable () async throws -> ReleaseConfig?, environment: FlowEnvironment, terminal: some ConsoleTerminal
    ) async throws -> End {
        let state = environment.state
        // One command log for the whole session: each console shows it and hands it on.
        var commandLog = CommandLog()
        while true {
            let config: ReleaseConfig?
            let configError: RecordedError?
            do { (config, configError) = (try await loadConfig(), nil) } catch { (config, configError) = (nil, RecordedError(error)) }
            let chosen: ConsoleOutcome
            (chosen, commandLog) = try await HomeConsole.run(
                config: config, configError: configError, configPath: configPath, state: state, caBundle: environment.caBundle, terminal: terminal,
                commandLog: commandLog)
            // Home checked the config before offering these; it is read again, as it may have changed since.
            func required() async throws -> ReleaseConfig {
                guard let config = try await loadConfig() else { throw ConfigGone(path: configPath) }
                return config
            }
            let request: FlowRequest
            switch chosen {
            case .interrupted(let signal): return .interrupted(signal: signal)
            case .quit, .home: return .quit
            case .resume(let id):
                // A family's member resumes with its family, as one.
                if let family = FamilyJournals.family(of: try ReleaseID(id), in: JournalStore(state: state)) {
                    guard let result = try await opened(FamilyConsole.run(.resume(family), in: environment, homeBelow: true, terminal: terminal, commandLog: commandLog)) else { continue }
                    return .flow(result)
                }
                request = .resume(try ReleaseID(id), config: nil)
            case .repair(let operation):
                // A tag move ran in Home already (its confirmation dialog): nothing is left to open.
                guard case .release(let flow) = try operation.flow(config: config, state: state) else { continue }
                request = flow
            case .release(let version):
                let config = try await required()
                if config.releasesFamily {
                    let family = FamilyRequest.release(config, try SemanticVersion.parse(version), FamilyOptions())
                    guard let result = try await opened(FamilyConsole.run(family, in: environment, homeBelow: true, terminal: terminal, commandLog: commandLog)) else { continue }
                    return .flow(result)
                }
                request = .release(config, try SemanticVersion.parse(version), FlowOptions())
            case .publish(let version, let sources):
                request = .publish(try await required(), try SemanticVersion.parse(version), sources: sources, FlowOptions())
            }
            guard let result = opened(try await ReleaseConsole.run(request, in: environment, homeBelow: true, terminal: terminal, commandLog: commandLog)) else { continue }
            return .flow(result)
        }

        /// A console opened from Home has ended: nil when the user went back to Home (which
        /// opens afresh), else its result, which ends the session.
        func opened(_ result: ReleaseConsole.Result) -> ReleaseConsole.Result? {
            commandLog = result.commandLog
            return result.wentHome ? nil : result
        }
    }
}
