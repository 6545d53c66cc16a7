import GantryEngine
import Testing
@testable import GantryTUI

/// `:` jumps driven headless: the prompt in the footer line, each jump's screen and intent,
/// errors kept in the prompt, and text fields that take `:` as text.
@Suite(.timeLimit(.minutes(1))) struct JumpConsoleTests {
    /// Types `:line` and Enter; returns the intents of the Enter.
    static func jump(_ console: inout Console, _ line: String) -> [ConsoleIntent] {
        #expect(console.handle(.char(":")) == [])
        #expect(console.activeScreen == .jumpPrompt)
        for ch in line { _ = console.handle(.char(ch)) }
        return console.handle(.enter)
    }

    static func footer(_ console: inout Console) -> String {
        String(console.render(size: GridSize(width: 120, height: 30), now: 0).render().split(separator: "\n").last ?? "")
    }

    @Test("from Home, :journal → :recover → :home → :audit latest → :release 1.2.0 reach each screen, with Home's intents")
    func hops() {
        var console = Console(theme: .monochrome)
        console.apply([.journal(SampleJournals.viewModel)], now: 0)
        _ = console.handle(.char(":"))
        for ch in "journal" { _ = console.handle(.char(ch)) }
        #expect(Self.footer(&console).contains(":journal▏"))
        #expect(console.handle(.enter) == [])
        #expect(console.screen == .journal && console.overlay == nil)
        #expect(Self.jump(&console, "recover") == [])
        #expect(console.screen == .recover)
        #expect(Self.jump(&console, "home") == [])
        #expect(console.screen == .home)
        #expect(Self.jump(&console, "audit latest") == [.audit(reference: "latest")])
        #expect(console.screen == .audit && console.overlay == nil)
        // The audit's field has the keyboard: `:` is text there; Tab leaves it, then `:` jumps.
        _ = console.handle(.tab)
        #expect(Self.jump(&console, "release 1.2.0") == [.startRelease(version: "1.2.0")])
        #expect(console.screen == .newRelease)
    }

    @Test("a bad line keeps the prompt open with its error; typing clears it; Esc closes it and nothing runs")
    func errorsStayInThePrompt() {
        var console = Console(theme: .monochrome)
        #expect(Self.jump(&console, "release 1.2") == [])
        #expect(console.activeScreen == .jumpPrompt)
        #expect(Self.footer(&console).contains("invalid version \"1.2\""), "\(Self.footer(&console))")
        _ = console.handle(.backspace)
        #expect(!Self.footer(&console).contains("invalid version"))
        #expect(console.handle(.escape) == [])
        #expect(console.activeScreen == .home && console.overlay == nil)
        #expect(Self.jump(&console, "relase") == [])
        #expect(Self.footer(&console).contains("Unknown command \"relase\""))
    }

    @Test("the release console has no Home data: :journal says so in the prompt; :home goes back to the live Home beneath")
    func releaseConsole() {
        var console = Console(screen: .release, homeBelow: true, theme: .monochrome)
        #expect(Self.jump(&console, "journal") == [])
        #expect(console.activeScreen == .jumpPrompt && console.screen == .release)
        #expect(Self.footer(&console).contains(":journal opens from Home"))
        _ = console.handle(.escape)
        #expect(Self.jump(&console, "home") == [.home])
    }

    @Test("a text field takes `:` as text: New release's version field does not open the prompt")
    func textFieldKeepsTheColon() {
        var console = Console(theme: .monochrome)
        console.apply([.show(.newRelease)], now: 0)
        #expect(console.handle(.char(":")) == [])
        #expect(console.activeScreen == .newRelease)
    }

    @Test("every main screen lists `:` in its bindings, so the help shows it")
    func helpListsTheJump() {
        let console = Console(theme: .monochrome)
        for screen: ScreenID in [.home, .release, .digests, .pendingTags, .publish, .audit, .recover, .journal, .journalDetail, .commandLog] {
            #expect(console.bindings(of: screen).contains { $0.keys == [.char(":")] && $0.help == "jump (audit REF, release V, journal, recover, home)" }, "\(screen)")
        }
    }
}
