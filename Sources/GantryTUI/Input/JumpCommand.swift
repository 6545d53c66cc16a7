import GantryEngine

/// A `:` jump, as in k9s: the screen (and what to do there) a typed line asks for.
enum JumpCommand: Hashable, Sendable {
    /// The audit; with a reference, audited at once.
    case audit(reference: String?)
    /// Releases the version, as Home's New release does on Enter.
    case release(version: String)
    case journal, recover, home, help

    /// The command as typed, for messages.
    var name: String {
        switch self {
        case .audit: return "audit"
        case .release: return "release"
        case .journal: return "journal"
        case .recover: return "recover"
        case .home: return "home"
        case .help: return "help"
        }
    }

    /// Reads `audit REF`, `release 1.2.0`, `journal`… (a leading `:` is allowed); the version
    /// is checked here so a typo stays in the prompt instead of reaching the engine.
    static func parse(_ line: String) throws(JumpCommandError) -> JumpCommand {
        var text = Substring(line.trimmingCharacters(in: " "))
        if text.first == ":" { text = text.dropFirst() }
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first?.lowercased() else { throw .empty }
        let arguments = Array(words.dropFirst())
        let most = name == "audit" || name == "release" ? 1 : 0
        switch name {
        case "audit", "release", "journal", "recover", "home", "help":
            guard arguments.count <= most else { throw .extraArguments(command: name, arguments: Array(arguments.dropFirst(most))) }
        default: throw .unknown(name)
        }
        switch name {
        case "audit": return .audit(reference: arguments.first)
        case "release":
            guard let version = arguments.first else { throw .missingVersion }
            do { _ = try SemanticVersion.parse(version) } catch { throw .badVersion(error) }
            return .release(version: version)
        case "journal": return .journal
        case "recover": return .recover
        case "home": return .home
        default: return .help
        }
    }
}
