/// The `:` prompt: the typed jump runs on Enter through the screens and intents Home's keys
/// use; a line that does not parse stays, with its error, in the prompt line; Esc closes it.
struct JumpPromptController: ScreenController {
    private var input = ""
    private var error: JumpCommandError?

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
            KeyBinding([.enter], help: "Jump to the typed command", footer: "jump") { c, x in
                do throws(JumpCommandError) { return try c.run(JumpCommand.parse(c.input), &x) } catch {
                    c.error = error
                    return []
                }
            },
            KeyBinding([.escape], help: "Close the prompt (nothing runs)", footer: "cancel") { _, x in x.navigation.closeOverlay(); return [] },
        ]
    }

    /// Every printable key is text here; editing clears the error shown.
    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        guard input.edit(with: key) else { return nil }
        error = nil
        return []
    }

    mutating func reset() { self = JumpPromptController() }

    /// The prompt is the footer line: `:audit latest▏`, then the error once Enter refused it.
    func filterLine(_ state: ReleaseState) -> String? {
        ":\(input)▏  " + (error?.description ?? "Enter jump  Esc cancel")
    }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {}

    /// Opens what `command` names, as Home's Enter does, and returns the intents Home's screens
    /// would; a console opened on a release has no Home data, so only `:help` and `:home` (back
    /// to the live Home beneath it) work there.
    private func run(_ command: JumpCommand, _ x: inout ConsoleContext) throws(JumpCommandError) -> [ConsoleIntent] {
        if x.navigation.root != .home, command != .help, !(command == .home && x.navigation.homeBelow) {
            throw .notHere(command: command.name)
        }
        x.navigation.closeOverlay()
        switch command {
        case .help: x.navigation.open(.help)
        case .home where x.navigation.root != .home: return SharedBindings.leaveFirstScreen(&x)
        case .home: x.navigation.open(.home)
        case .journal: x.navigation.open(.journal)
        case .recover: x.navigation.open(.recover)
        case .audit(let reference):
            x.navigation.open(.audit)
            return reference.map { [.audit(reference: $0)] } ?? []
        case .release(let version):
            x.navigation.open(.newRelease)
            return [.startRelease(version: version)]
        }
        return []
    }
}
