import GantryEngine
import Testing
@testable import GantryTUI

/// Each screen's controller gives its bindings (keys, help, footer word, disabled reason);
/// these drive the console headless and read the bindings, the footer and the help.
@Suite(.timeLimit(.minutes(1))) struct ControllerBindingTests {
    static func help(_ bindings: [BindingDescription], for key: Key) -> String? {
        bindings.first { $0.keys.contains(key) }?.help
    }

    @Test("arrows and vi keys move on every list screen; ←/→ and h/l step through the release views")
    func movement() {
        let console = Sample.console()
        for screen: ScreenID in [.home, .release, .digests, .pendingTags, .publish, .recover, .help] {
            let bindings = console.bindings(of: screen)
            #expect(Self.help(bindings, for: .up) == "Move up" && Self.help(bindings, for: .char("k")) == "Move up", "\(screen)")
            #expect(Self.help(bindings, for: .down) == "Move down" && Self.help(bindings, for: .char("j")) == "Move down", "\(screen)")
        }
        #expect(Self.help(console.bindings(of: .release), for: .char("l")) == "Next view")
        #expect(Self.help(console.bindings(of: .digests), for: .left) == "Previous view (release, digests, tags, publish)")
    }

    @Test("no key means two things on one screen")
    func unambiguous() {
        let console = Sample.builtConsole()
        for screen in ScreenID.allCases {
            var seen: [Key: String] = [:]
            for binding in console.bindings(of: screen) {
                for key in binding.keys {
                    if let earlier = seen[key] { Issue.record("\(key) on \(screen) is both \(earlier) and \(binding.help)") }
                    seen[key] = binding.help
                }
            }
        }
    }

    @Test("the drawn footer and help screen show the controller's bindings; disabled ones say why in the help")
    func drawnFooterAndHelp() {
        var console = Sample.console()
        console.apply([.show(.release)], now: 100)
        let bindings = console.bindings(of: .release)
        let footer = console.render(size: GridSize(width: 160, height: 40), now: 100).render().split(separator: "\n").last ?? ""
        for entry in bindings { if let word = entry.footer { #expect(footer.contains("\(entry.keys[0]) \(word)"), "\(footer)") } }
        _ = console.handle(.char("?"))
        let help = console.render(size: GridSize(width: 160, height: 60), now: 100).render()
        for binding in bindings {
            #expect(help.contains(binding.help), "\(binding.help)")
            if let reason = binding.disabledReason { #expect(help.contains("(not now: \(reason))"), "\(help)") }
        }
    }

    @Test("q quits at once when nothing builds, and asks first while builds run")
    func quitAsks() {
        var idle = Console(theme: .color)
        #expect(idle.handle(.char("q")) == [.quit])

        var building = Sample.console()
        building.apply([.show(.release)], now: 100)
        #expect(building.handle(.char("q")) == [])
        #expect(building.activeScreen == .quitPrompt)
        #expect(building.handle(.char("y")) == [], "one convention: y is not an answer")
        #expect(building.activeScreen == .quitPrompt)
        #expect(building.handle(.escape) == [])
        #expect(building.activeScreen == .release)
        _ = building.handle(.char("q"))
        #expect(building.handle(.enter) == [.cancelBuilds, .quit])
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
        #expect(console.handle(.enter) == [.publishWithout([failed])])
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
        // The field keeps the keyboard after the audit; Tab goes to the findings, then the tags.
        _ = console.handle(.tab)
        _ = console.handle(.tab)
        _ = console.handle(.down)
        #expect(console.handle(.enter) == [.audit(reference: "ghcr.io/acme/widget:1.3.2")])
    }

    @Test("/ filters a list as typed; Enter keeps the filter, the keys act on the filtered rows; Esc clears it")
    func filterNarrowsAndClears() {
        var console = Sample.console()
        console.apply([.show(.release)], now: 100)
        _ = console.handle(.char("/"))
        for ch in "ARM" { #expect(console.handle(.char(ch)) == [], "typed into the filter, not run as keys") }
        var screen = console.render(size: GridSize(width: 120, height: 40), now: 100).render()
        #expect(screen.contains("/ARM▏  2 of 6"), "\(screen)")
        #expect(screen.contains("linux/arm64") && screen.contains("linux/arm/v7") && !screen.contains("linux/amd64"), "\(screen)")
        _ = console.handle(.enter)
        _ = console.handle(.down)
        let selected = Sample.platforms[2]
        var availability = FlowAvailability()
        availability.cancel[selected] = .allowed
        console.apply([.availability(availability)], now: 101)
        #expect(console.handle(.char("x")) == [.cancel(selected)], "the second filtered row is \(selected)")
        screen = console.render(size: GridSize(width: 120, height: 40), now: 101).render()
        #expect(screen.contains("/ARM · 2 of 6 · Esc clears"), "\(screen)")
        _ = console.handle(.escape)
        #expect(console.screen == .release, "Esc clears the filter before it goes back")
        screen = console.render(size: GridSize(width: 120, height: 40), now: 101).render()
        #expect(screen.contains("linux/amd64") && !screen.contains("of 6"), "\(screen)")
    }

    @Test("the audit field takes / as text (references have slashes); in the tag list / filters the tags")
    func auditSlashIsTextThenFilter() {
        var console = Sample.console()
        console.apply([.show(.audit)], now: 100)
        for ch in "ghcr.io/acme/widget:1" { _ = console.handle(.char(ch)) }
        #expect(console.handle(.enter) == [.audit(reference: "ghcr.io/acme/widget:1")])
        // The field keeps the keyboard: Tab, Tab to the tags, where / filters.
        _ = console.handle(.tab)
        _ = console.handle(.tab)
        _ = console.handle(.char("/"))
        for ch in "1.3" { _ = console.handle(.char(ch)) }
        _ = console.handle(.enter)
        #expect(console.handle(.enter) == [.audit(reference: "ghcr.io/acme/widget:1.3.2")], "the first tag the filter leaves")
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
        let repair = RepairOperation.publishJournal(try! ReleaseID("r-20240611-1"), configPath: "gantry.yaml")
        #expect(console.handle(.enter) == [.repair(repair)])
        // Leaving is the driver's word, once the engine opened the repair.
        console.apply([.leave(.repair(repair))], now: 101)
        #expect(console.exitRequest == .repair(repair))
    }
}
