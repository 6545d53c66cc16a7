import GantryEngine

/// Why a `:` line does not jump; the prompt shows `description` and keeps the line to fix.
enum JumpCommandError: ClassifiedError, Equatable, Sendable {
    case empty
    case unknown(String)
    case missingVersion
    case badVersion(VersionError)
    case extraArguments(command: String, arguments: [String])
    /// A jump to a Home screen from a console that has no Home data (the release console).
    case notHere(command: String)

    var code: String {
        switch self {
        case .empty: return "jump.empty"
        case .unknown: return "jump.unknown"
        case .missingVersion: return "jump.missingVersion"
        case .badVersion: return "jump.badVersion"
        case .extraArguments: return "jump.extraArguments"
        case .notHere: return "jump.notHere"
        }
    }

    var description: String {
        let commands = "audit [REF], release VERSION, journal, recover, home, help"
        switch self {
        case .empty: return "Type a command: \(commands)."
        case .unknown(let name): return "Unknown command \"\(name)\": try \(commands)."
        case .missingVersion: return "release needs the version, such as :release 1.2.0."
        case .badVersion(let error): return error.description
        case .extraArguments(let command, let arguments): return "\(command) does not take \(arguments.joined(separator: " "))."
        case .notHere(let command): return ":\(command) opens from Home: this console shows a release (:home or Esc goes back once builds end)."
        }
    }
}
