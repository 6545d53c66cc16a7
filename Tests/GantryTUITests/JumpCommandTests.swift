import GantryEngine
import Testing
@testable import GantryTUI

/// The `:` line as typed: each command, its arguments, and the errors the prompt shows.
@Suite(.timeLimit(.minutes(1))) struct JumpCommandTests {
    @Test("each command parses, with its argument where it takes one; a leading colon, case and spaces do not matter")
    func commands() throws {
        #expect(try JumpCommand.parse("audit") == .audit(reference: nil))
        #expect(try JumpCommand.parse("audit ghcr.io/acme/widget:latest") == .audit(reference: "ghcr.io/acme/widget:latest"))
        #expect(try JumpCommand.parse(":release 1.2.0") == .release(version: "1.2.0"))
        #expect(try JumpCommand.parse("release 1.3.0-rc.1") == .release(version: "1.3.0-rc.1"))
        #expect(try JumpCommand.parse("  Journal ") == .journal)
        #expect(try JumpCommand.parse("recover") == .recover)
        #expect(try JumpCommand.parse("home") == .home)
        #expect(try JumpCommand.parse("help") == .help)
    }

    @Test("a missing version, extra arguments, a bad version, an unknown or empty command are typed errors with a message")
    func errors() {
        #expect(throws: JumpCommandError.missingVersion) { try JumpCommand.parse("release") }
        #expect(throws: JumpCommandError.extraArguments(command: "journal", arguments: ["now"])) { try JumpCommand.parse("journal now") }
        #expect(throws: JumpCommandError.extraArguments(command: "audit", arguments: ["b"])) { try JumpCommand.parse("audit a b") }
        #expect(throws: JumpCommandError.extraArguments(command: "release", arguments: ["1.3.0"])) { try JumpCommand.parse("release 1.2.0 1.3.0") }
        #expect(throws: JumpCommandError.unknown("relase")) { try JumpCommand.parse("relase 1.2.0") }
        #expect(throws: JumpCommandError.empty) { try JumpCommand.parse(" : ") }
        do {
            _ = try JumpCommand.parse("release 1.2")
            Issue.record("1.2 is not a version")
        } catch {
            guard case .badVersion = error else { Issue.record("\(error)"); return }
            #expect(error.code == "jump.badVersion")
            #expect(error.description.contains("invalid version \"1.2\""))
        }
        #expect(JumpCommandError.unknown("relase").description.contains("Unknown command \"relase\""))
    }
}
