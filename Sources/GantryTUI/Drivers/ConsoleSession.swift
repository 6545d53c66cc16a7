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
            // One image's flow opens the release console; a family's, the family console.
            let opening: Opening
            switch chosen {
            case .interrupted(let signal): return .interrupted(signal: signal)
            case .quit, .home: return .quit
            case .resume(let id):
                // A family's member resumes with its family, as one.
                let id = try ReleaseID(id)
                opening = FamilyJournals.family(of: id, in: JournalStore(state: state)).map { .family(.resume($0)) } ?? .single(.resume(id, config: nil))
            case .repair(let operation):
                switch try operation.flow(config: config, state: state) {
                // A tag move ran in Home already (its confirmation dialog): nothing is left to open.
                case .tag: continue
                case .release(let flow): opening = .single(flow)
                case .family(let family): opening = .family(family)
                }
            case .release(let version):
                let config = try await required(), version = try SemanticVersion.parse(version)
                opening = config.releasesFamily ? .family(.release(config, version, FamilyOptions())) : .single(.release(config, version, FlowOptions()))
            case .publish(let version, let sources):
                opening = .single(.publish(try await required(), try SemanticVersion.parse(version), sources: sources, FlowOptions()))
            }
            let result: ReleaseConsole.Result
            switch opening {
            case .single(let request): result = try await ReleaseConsole.run(request, in: environment, homeBelow: true, terminal: terminal, commandLog: commandLog)
            case .family(let request): result = try await FamilyConsole.run(request, in: environment, homeBelow: true, terminal: terminal, commandLog: commandLog)
            }
            commandLog = result.commandLog
            // Back at Home (Esc on the console's first screen), Home opens afresh; else the session ends with it.
            if !result.wentHome { return .flow(result) }
        }
    }

    /// What Home opened: one image's flow or a family's.
    private enum Opening {
        case single(FlowRequest)
        case family(FamilyRequest)
    }
}
