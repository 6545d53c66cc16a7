import GantryEngine
import Testing
@testable import GantryTUI

@Suite struct KeymapTests {
    let keymap = Keymap.standard

    @Test("arrows and vi keys move on every list screen")
    func movement() {
        for screen: ScreenID in [.home, .release, .digests, .pendingTags, .publish, .recover, .help] {
            #expect(keymap.action(for: .up, on: screen) == .moveUp)
            #expect(keymap.action(for: .char("k"), on: screen) == .moveUp)
            #expect(keymap.action(for: .down, on: screen) == .moveDown)
            #expect(keymap.action(for: .char("j"), on: screen) == .moveDown)
        }
        #expect(keymap.action(for: .char("l"), on: .release) == .nextView)
        #expect(keymap.action(for: .left, on: .digests) == .previousView)
    }

    @Test("no key means two things on one screen")
    func unambiguous() {
        for screen in ScreenID.allCases {
            var seen: [Key: KeyAction] = [:]
            for binding in keymap.bindings(on: screen) {
                for key in binding.keys {
                    if let earlier = seen[key] { Issue.record("\(key) on \(screen) is both \(earlier) and \(binding.action)") }
                    seen[key] = binding.action
                }
            }
        }
    }

    @Test("the footer is made from the same table as the help screen")
    func footerMatchesHelp() {
        for screen in ScreenID.allCases {
            let help = HelpScreen(keymap: keymap, screen: screen, scroll: 0, theme: .color).entries
            for entry in keymap.footer(on: screen) {
                #expect(help.contains { $0.keys.hasPrefix(entry.key) }, "footer \(entry.key) on \(screen) is not on the help screen")
            }
            #expect(help.count == keymap.bindings(on: screen).count)
        }
    }

    @Test("the drawn footer and help screen show the table's entries")
    func drawnFooterAndHelp() {
        var console = Sample.console()
        console.apply([.show(.release)], now: 100)
        let footer = console.render(size: GridSize(width: 120, height: 40), now: 100).render().split(separator: "\n").last ?? ""
        for entry in keymap.footer(on: .release) { #expect(footer.contains("\(entry.key) \(entry.label)")) }
        _ = console.handle(.char("?"))
        let help = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        for binding in keymap.bindings(on: .release) { #expect(help.contains(binding.help)) }
    }

    @Test("q quits at once when nothing builds, and asks first while builds run")
    func quitAsks() {
        var idle = Console(theme: .color)
        #expect(idle.handle(.char("q")) == [.quit])

        var building = Sample.console()
        building.apply([.show(.release)], now: 100)
        #expect(building.handle(.char("q")) == [])
        #expect(building.activeScreen == .quitPrompt)
        #expect(building.handle(.char("n")) == [])
        #expect(building.activeScreen == .release)
        _ = building.handle(.char("q"))
        #expect(building.handle(.char("y")) == [.cancelBuilds, .quit])
    }

    @Test("moving tags requires typing the version; Esc publishes nothing")
    func confirmation() {
        var console = Sample.builtConsole()
        console.apply([.show(.pendingTags)], now: 100)
        _ = console.handle(.char("p"))
        #expect(console.activeScreen == .confirm)
        #expect(console.handle(.enter) == [])
        for ch in "1.4.0" { #expect(console.handle(.char(ch)) == []) }
        #expect(console.handle(.enter) == [.publish(typedVersion: "1.4.0")])
        #expect(console.screen == .publish)

        var cancelled = Sample.builtConsole()
        cancelled.apply([.show(.pendingTags)], now: 100)
        _ = cancelled.handle(.char("p"))
        for ch in "1.4.0" { _ = cancelled.handle(.char(ch)) }
        #expect(cancelled.handle(.escape) == [.decline], "Esc declines: the engine records that nothing is published")
        #expect(cancelled.activeScreen == .pendingTags)
    }

    @Test("p shows the release flow's reason instead of publishing while the flow refuses")
    func noPublishWhileTheFlowRefuses() {
        var console = Sample.builtConsole()
        console.apply([.show(.pendingTags), .availability(FlowAvailability(publish: .refused("linux/arm64 did not build: retry it")))], now: 100)
        #expect(console.handle(.char("p")) == [])
        #expect(console.activeScreen == .pendingTags)
        #expect(console.status == "linux/arm64 did not build: retry it")
        console.apply([.availability(FlowAvailability(publish: .allowed))], now: 101)
        #expect(console.handle(.char("p")) == [])
        #expect(console.activeScreen == .confirm)
    }

    @Test("a failed platform takes the selection; R, x and P act on it as the flow allows, and say why not when it does not")
    func actionsOnTheSelectedPlatform() {
        var console = Sample.console()
        console.apply([.show(.release)], now: 100)
        let failed = Sample.platforms[4]
        console.apply([.platform(failed, .failed("exit status 1"))], now: 101)
        #expect(console.handle(.char("R")) == [], "nothing allowed yet")
        #expect(console.status == "linux/s390x cannot be built again now")
        var availability = FlowAvailability(missing: [failed], publishWithout: .allowed)
        availability.retry[failed] = .allowed
        availability.cancel[failed] = .refused("linux/s390x is not building (failed)")
        console.apply([.availability(availability)], now: 102)
        #expect(console.handle(.char("R")) == [.retry(failed)])
        #expect(console.handle(.char("x")) == [])
        #expect(console.status == "linux/s390x is not building (failed)")
        #expect(console.handle(.char("P")) == [])
        #expect(console.activeScreen == .publishWithoutPrompt)
        #expect(console.render(size: GridSize(width: 80, height: 24), now: 103).render().contains("Publish without linux/s390x?"))
        #expect(console.handle(.char("y")) == [.publishWithout([failed])])
        #expect(console.activeScreen == .release)
    }

    @Test("? help and q quit stay in the footer at 60 columns; disabled keys are listed with their reason in the help")
    func footerAndHelpAtSixtyColumns() {
        var console = Sample.builtConsole()
        console.apply([.show(.release)], now: 100)
        let footer = console.render(size: GridSize(width: 60, height: 20), now: 100).render().split(separator: "\n").last ?? ""
        #expect(footer.contains("? help") && footer.contains("q quit"), "\(footer)")
        _ = console.handle(.char("?"))
        let help = console.render(size: GridSize(width: 160, height: 40), now: 100).render()
        #expect(help.contains("(not now:"), "\(help)")
    }

    @Test("home opens release, audit and recover; Enter in recover resumes")
    func homeNavigation() {
        var console = Sample.console()
        #expect(console.handle(.enter) == [])
        #expect(console.screen == .newRelease)
        _ = console.handle(.escape)
        #expect(console.screen == .home)
        _ = console.handle(.down); _ = console.handle(.down)
        #expect(console.handle(.enter) == [])
        #expect(console.screen == .recover)
        #expect(console.handle(.enter) == [.resume(id: "r-20240611-1")])
    }

    @Test("Home → Release: a typed version (q and ? are text there), else the selected suggestion; Ctrl-U clears; leaving on the driver's word")
    func newRelease() {
        var console = Sample.console()
        console.apply([.home(HomeViewModel(configPath: "gantry.yaml", image: "ghcr.io/acme/widget", nextVersion: "1.4.3", unfinishedReleases: 0,
                                           suggestions: ["1.4.3", "1.5.0", "2.0.0"], suggestionSource: "after 1.4.2"))], now: 100)
        _ = console.handle(.enter)
        #expect(console.screen == .newRelease)
        _ = console.handle(.down)
        #expect(console.handle(.enter) == [.startRelease(version: "1.5.0")])
        for ch in "2.0.0-q?" { _ = console.handle(.char(ch)) }
        #expect(console.handle(.enter) == [.startRelease(version: "2.0.0-q?")])
        _ = console.handle(.ctrl("u"))
        for ch in "v3.0.0" { _ = console.handle(.char(ch)) }
        #expect(console.handle(.enter) == [.startRelease(version: "v3.0.0")])
        #expect(console.render(size: GridSize(width: 80, height: 24), now: 100).render().contains("Suggestions (after 1.4.2)"))
        #expect(console.exitRequest == nil)
        console.apply([.leave(.release(version: "3.0.0"))], now: 101)
        #expect(console.exitRequest == .release(version: "3.0.0"))
    }

    @Test("the audit field takes typed text, and picking a tag audits it")
    func auditInput() {
        var console = Sample.console()
        console.apply([.show(.audit)], now: 100)
        for ch in "acme/app:q?" { _ = console.handle(.char(ch)) }
        _ = console.handle(.backspace)
        #expect(console.handle(.enter) == [.audit(reference: "acme/app:q")])
        // The audit takes the keyboard to its findings; Tab goes on to the tags.
        _ = console.handle(.tab)
        _ = console.handle(.down)
        #expect(console.handle(.enter) == [.audit(reference: "ghcr.io/acme/widget:1.3.2")])
    }

    @Test("Tab skips the findings when the audit found none")
    func auditTabSkipsNoFindings() {
        var console = Sample.console()
        var clean = Sample.audit
        clean.findings = []
        console.apply([.show(.audit), .audit(clean)], now: 100)
        _ = console.handle(.tab)
        #expect(console.handle(.enter) == [.audit(reference: "ghcr.io/acme/widget:latest")])
    }

    @Test("Enter on a finding passes on the engine's repair; on one without, the status line says why and nothing leaves")
    func auditFindingRepair() {
        var console = Sample.console()
        console.apply([.show(.audit)], now: 100)
        _ = console.handle(.tab)
        #expect(console.handle(.enter) == [])
        #expect(console.status == "no repair: ghcr.io/acme/widget:latest lacks nothing: repair the registries that differ")
        #expect(console.screen == .audit && console.exitRequest == nil)
        _ = console.handle(.char("j"))
        let repair = RepairOperation.publishJournal(ReleaseID(rawValue: "r-20240611-1"), configPath: "gantry.yaml")
        #expect(console.handle(.enter) == [.repair(repair)])
        // Leaving is the driver's word, once the engine opened the repair.
        console.apply([.leave(.repair(repair))], now: 101)
        #expect(console.exitRequest == .repair(repair))
    }
}
