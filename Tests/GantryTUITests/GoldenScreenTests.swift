import Foundation
import Testing
@testable import GantryTUI

/// One screen or dialog in a realistic state, reached by pressing keys like a user would.
enum GoldenScene: String, CaseIterable, Sendable {
    case home, release, releaseLog, releaseWide, digests, pendingTags, confirm, confirmTyped, confirmNewOnly, confirmManyTags, confirmManyTagsScrolled
    case publish, audit, auditNoRepair, auditTags, auditInput, recover, recoverAll, help, quitPrompt, cancelledStatus, failedDetail, publishWithout, newRelease, releaseFiltered
    case journal, journalDetail, journalRefused, rollbackConfirm, homeInvalidConfig
    case pendingManyTags, releaseManyPlatforms, longStatus, halfPublishedPrompt
    case familyHome, familyRelease, familyReleaseFolded, familyPendingTags, familyConfirm, familyPublish, familyAudit
    case auditHistory

    func console() -> Console {
        var c = Sample.console()
        func press(_ keys: Key...) { for k in keys { _ = c.handle(k) } }
        func show(_ screen: ScreenID) { c.apply([.show(screen)], now: 100) }
        switch self {
        case .home: break
        // The failed platform (s390x) takes the selection; these scenes move it up to arm64.
        case .release: show(.release); press(.up, .up, .up)
        case .releaseLog: show(.release); press(.up, .up, .up, .tab, .up, .up)
        case .releaseWide:
            show(.release)
            c.apply([.platform(Sample.platforms[2], .started(builder: "ビルダー機")),
                      .platform(Sample.platforms[2], .step(index: 3, total: 9, name: "RUN echo 日本語のログ行とアクセントé")),
                      .platform(Sample.platforms[2], .log("中文日志：正在编译 widget 组件，请稍候……")),
                      .platform(Sample.platforms[2], .log("e\u{301}te\u{301} combining marks, emoji 🚀 and 한국어"))], now: 100)
            press(.up, .up)
        case .digests: show(.release); press(.right)
        case .pendingTags: show(.release); press(.char("t"), .down, .down)
        case .confirm: c = Sample.builtConsole(); show(.pendingTags); press(.char("p"))
        case .confirmTyped: c = Sample.builtConsole(); show(.pendingTags); press(.char("p"), .char("1"), .char("."), .char("3"), .enter)
        case .confirmNewOnly:
            c = Sample.builtConsole()
            c.apply([.pendingTags(PendingTagsViewModel(version: "1.4.0", rows: Sample.pendingTags.rows.filter { $0.change == .new }, requiresTypedVersion: false))], now: 100)
            show(.pendingTags); press(.char("p"))
        // Thirty tags: every one written is listed, wrapped; what does not fit scrolls with ↓.
        case .confirmManyTags, .confirmManyTagsScrolled:
            c = Sample.builtConsole()
            c.apply([.pendingTags(Sample.pendingManyTags)], now: 100)
            show(.pendingTags); press(.char("p"))
            if self == .confirmManyTagsScrolled {
                _ = c.render(size: GridSize(width: 60, height: 20), now: 100)
                press(.down, .down, .down, .down, .down, .down, .down, .down)
            }
        case .publish: c.apply([.publish(Sample.publish)], now: 100); show(.publish); press(.down, .down, .down, .down)
        // Tab: the findings, side by side with the registries; the selected one's repair below.
        case .audit: show(.audit); press(.tab, .down)
        // Enter on the drift (no repair of its own): the status line says why.
        case .auditNoRepair: show(.audit); press(.tab, .enter)
        case .auditTags: show(.audit); press(.tab, .tab, .down)
        // Tab to the registries' rows (each with its last release record); Enter read ghcr.io's history.
        case .auditHistory:
            c.apply([.audit(Sample.auditRecorded)], now: 100); show(.audit); press(.tab, .tab, .tab)
            c.apply([.tagHistory(Sample.tagHistory)], now: 100)
        case .auditInput: show(.audit); for ch in "ghcr.io/acme/widget:1.3" { press(.char(ch)) }
        case .recover: show(.recover); press(.down)
        // a: every journal, each with its standing.
        case .recoverAll: show(.recover); press(.char("a"), .down)
        case .help: show(.release); press(.char("?"))
        case .quitPrompt: show(.release); press(.char("q"))
        case .cancelledStatus: c = Sample.builtConsole(); show(.pendingTags); press(.char("p"), .escape)
        case .failedDetail:
            // The failure selects its row (s390x); Enter opens its detail: step, whole error, log.
            show(.release)
            c.apply([.platform(Sample.platforms[4], .failed("exit status 1: unable to select packages: ca-certificates (no such package): required by world[ca-certificates]"))], now: 100)
            press(.enter)
        case .newRelease:
            c.apply([.home(HomeViewModel(configPath: "gantry.yaml", image: "ghcr.io/acme/widget", nextVersion: "1.4.3", unfinishedReleases: 1,
                                         suggestions: ["1.4.3", "1.5.0", "2.0.0", "1.5.0-rc.1"], suggestionSource: "after 1.4.2, the newest in ghcr.io"))], now: 100)
            press(.enter, .down)
            for ch in "1.4." { press(.char(ch)) }
        case .releaseFiltered: show(.release); press(.char("/"), .char("a"), .char("r"), .char("m"))
        // Home → Journal (the fourth item); the list is newest first.
        case .journal:
            c.apply([.journal(SampleJournals.viewModel)], now: 100)
            press(.down, .down, .down, .enter, .down, .down)
        case .journalDetail:
            // The 1.4.0 release's history, scrolled down three lines (a first frame lays the pane out).
            c.apply([.journal(SampleJournals.viewModel)], now: 100)
            press(.down, .down, .down, .enter, .down, .down, .down, .down, .enter)
            _ = c.render(size: GridSize(width: 60, height: 20), now: 100)
            press(.down, .down, .down)
        case .journalRefused:
            // b on the build: the rollback flow's reason, in the status line.
            c.apply([.journal(SampleJournals.viewModel)], now: 100)
            press(.down, .down, .down, .enter, .down, .down, .down, .char("b"))
        case .rollbackConfirm:
            c.apply([.journal(SampleJournals.viewModel)], now: 100)
            press(.down, .down, .down, .enter, .down, .down, .down, .down, .enter)
            c.apply([.pendingTags(SampleJournals.rollbackPreview), .show(.confirm)], now: 100)
        // A config that does not load: its problems on the home screen, as the CLI prints them.
        case .homeInvalidConfig:
            c.apply([.home(HomeViewModel(configPath: "gantry.yaml", image: "", nextVersion: nil, unfinishedReleases: 0, configProblems: [
                "invalid release config (2 problems):",
                "  gantry.yaml:2:1: platfroms: unknown key \"platfroms\"; did you mean \"platforms\"? allowed here: image, registries, platforms, build, tags",
                "  gantry.yaml:5:3: tags[0]: \"-bad\" gives the tag \"-bad\", which is not valid",
            ]))], now: 100)
        // Thirty tags in three registries: every tag whole, the columns sized from what they hold.
        case .pendingManyTags:
            c.apply([.pendingTags(Sample.pendingManyTags)], now: 100)
            show(.pendingTags)
        // Ten platforms with variants: every name whole in the matrix.
        case .releaseManyPlatforms:
            c.apply(Sample.manyPlatformsEvents, now: 100)
            show(.release)
        // An error longer than the footer: wrapped upwards, read whole.
        case .longStatus:
            c.apply([.publish(Sample.publish)], now: 100)
            show(.publish)
            c.apply([.status(Sample.longError)], now: 100)
        case .publishWithout:
            show(.release)
            c.apply([.availability(FlowAvailability(missing: [Sample.platforms[4]], publishWithout: .allowed))], now: 100)
            press(.char("P"))
        // A new release while 1.1.0 is half-published: the dialog asks first.
        // A family: the matrix grouped by image (the failed worker's row selected), one image
        // folded, the one pending set grouped by image, its confirmation, publishing image by image.
        case .familyHome: c = SampleFamily.console(); c.apply([.show(.home)], now: 100)
        case .familyRelease: c = SampleFamily.console()
        case .familyReleaseFolded: c = SampleFamily.console(); press(.home, .down, .down, .down, .enter)
        case .familyPendingTags: c = SampleFamily.console(); press(.char("t"), .down)
        case .familyConfirm:
            c = SampleFamily.console()
            c.apply([.availability(FlowAvailability(publish: .allowed)), .show(.pendingTags)], now: 100)
            press(.char("p"))
        case .familyPublish: c = SampleFamily.console(); c.apply([.publish(SampleFamily.publish), .show(.publish)], now: 100)
        // Tab: the findings, the worker's missing arm64 selected with its repair (`--only acme/worker`).
        case .familyAudit: c = SampleFamily.console(); c.apply([.audit(SampleFamily.audit), .show(.audit)], now: 100); press(.tab)
        case .halfPublishedPrompt:
            c = HalfPublishedHomeTests.console()
            c.theme = .color
            press(.enter, .down, .enter)
        }
        return c
    }
}

@Suite(.timeLimit(.minutes(1))) struct GoldenScreenTests {
    static let sizes = [GridSize(width: 80, height: 24), GridSize(width: 120, height: 40), GridSize(width: 60, height: 20)]
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test("every screen matches its golden text", arguments: GoldenScene.allCases, sizes)
    func matchesGolden(scene: GoldenScene, size: GridSize) throws {
        var console = scene.console()
        let grid = console.render(size: size, now: 100)
        #expect(GridInvariants.problems(grid).isEmpty, "\(GridInvariants.problems(grid))")
        let text = grid.render()
        let file = Self.folder.appendingPathComponent("\(scene.rawValue)-\(size).txt")
        if ProcessInfo.processInfo.environment["GANTRY_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: file, encoding: .utf8)
        #expect(expected != nil, "missing \(file.lastPathComponent): run with GANTRY_UPDATE_GOLDEN=1")
        #expect(text == expected, "\(file.lastPathComponent) differs; got:\n\(text)")
    }

    @Test("monochrome draws the same text and no colour", arguments: GoldenScene.allCases)
    func monochromeKeepsMeaning(scene: GoldenScene) {
        var color = scene.console()
        var mono = color
        mono.theme = .monochrome
        let size = GridSize(width: 80, height: 24)
        let c = color.render(size: size, now: 100), m = mono.render(size: size, now: 100)
        #expect(c.render() == m.render())
        #expect(m.cells.allSatisfy { $0.style.role == .plain })
    }

    @Test("failed rows stand out in monochrome")
    func monochromeFailedIsReversed() {
        var console = Sample.console(theme: .monochrome)
        console.apply([.show(.release)], now: 100)
        let grid = console.render(size: GridSize(width: 120, height: 40), now: 100)
        let failed = (0..<grid.height).first { grid.row($0).map { String($0.grapheme) }.joined().contains("failed") }
        #expect(failed != nil)
        if let y = failed { #expect(grid.row(y).contains { $0.style.reverse && $0.style.bold }) }
    }
}

/// Structural checks on a drawn grid: no wide grapheme is cut in half, every row is full width.
enum GridInvariants {
    static func problems(_ grid: CellGrid) -> [String] {
        var problems: [String] = []
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation, x == 0 || grid[x - 1, y].width != 2 {
                    problems.append("orphan right half at \(x),\(y)")
                }
                if cell.width == 2, x + 1 >= grid.width || !grid[x + 1, y].isContinuation {
                    problems.append("wide grapheme without its right half at \(x),\(y)")
                }
                if DisplayWidth.of(cell.grapheme) != Int(cell.width), !cell.isContinuation {
                    problems.append("cell width \(cell.width) for \(cell.grapheme) at \(x),\(y)")
                }
            }
            let line = grid.row(y).filter { !$0.isContinuation }.map(\.grapheme)
            if DisplayWidth.of(String(line)) != grid.width { problems.append("row \(y) is not \(grid.width) columns") }
        }
        return problems
    }
}
