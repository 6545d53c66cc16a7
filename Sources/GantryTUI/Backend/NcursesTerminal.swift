import CNcurses
import Dispatch
import Foundation
import Synchronization

/// The real terminal: an actor that makes every ncurses call, on a thread of its own.
///
/// `start` sets the locale first, then initscr/cbreak/noecho/keypad; input is read with a
/// timeout so live views keep refreshing; `KEY_RESIZE` is reported so the console relays
/// out; only cells that changed since the previous grid are drawn. SIGINT, SIGTERM and SIGHUP
/// (the terminal went away: a closed tmux session, a dropped ssh) are reported as `.interrupted` (the loop cancels builds, then `stop` restores the terminal);
/// a second one while the first is handled restores the terminal and exits at once.
public actor NcursesTerminal: ConsoleTerminal {
    private static let executor = DedicatedThreadExecutor(name: "gantry-ncurses")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { Self.executor.asUnownedSerialExecutor() }

    private let environment: [String: String]
    private var window: OpaquePointer?
    private var previous: CellGrid?
    private var theme = Theme.monochrome
    private static let receivedSignal = Atomic<Int32>(0)
    /// When the first signal came (monotonic milliseconds).
    private static let firstSignalAt = Atomic<Int64>(0)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func start() async throws -> (size: GridSize, theme: Theme?) {
        setlocale(LC_ALL, "")
        TerminalSafety.save()
        TerminalSafety.installCrashHandler()
        installSignalHandlers()
        guard let screen = initscr() else { throw TerminalError(message: "ncurses could not initialise the terminal (is TERM set?)") }
        window = OpaquePointer(screen)
        cbreak()
        noecho()
        nonl()
        keypad(screen, true)
        set_escdelay(25)
        curs_set(0)
        theme = Theme.detect(environment: environment, terminalHasColors: has_colors())
        if theme.usesColor { setUpColors() }
        return (currentSize(), theme)
    }

    public func readInput(timeout: Duration) async -> TerminalInput? {
        if let signal = takeSignal() { return .interrupted(signal: signal) }
        guard let window else { return nil }
        let ms = Int32(clamp(Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000), 0, 1000))
        wtimeout(UnsafeMutablePointer(window), ms)
        var ch: wint_t = 0
        let status = wget_wch(UnsafeMutablePointer(window), &ch)
        if let signal = takeSignal() { return .interrupted(signal: signal) }
        if status == gantry_err() { return nil }
        if status == gantry_key_code_yes() {
            if Int32(ch) == gantry_key_resize() {
                previous = nil
                return .resized(currentSize())
            }
            return Self.functionKey(Int32(ch)).map(TerminalInput.key)
        }
        return Self.characterKey(UInt32(ch)).map(TerminalInput.key)
    }

    public func draw(_ grid: CellGrid) async {
        guard let window else { return }
        let win = UnsafeMutablePointer<WINDOW>(window)
        if previous?.size != grid.size {
            werase(win)
            previous = nil
        }
        for y in 0..<grid.height {
            guard let span = changedSpan(grid, previous, row: y) else { continue }
            drawRow(grid, row: y, columns: span, window: win)
        }
        wrefresh(win)
        previous = grid
    }

    public func stop() async {
        guard window != nil else { return }
        endwin()
        window = nil
        previous = nil
        for sig in Self.interruptSignals { sigaction(sig, Self.previousActions.advanced(by: Int(sig)), nil) }
        // Stopped by a signal, Gantry goes on to stop the builds and journal that. A closed
        // terminal's later hangup (the shell's, after the kernel's; late on a loaded machine)
        // is the same event and must not end it first, by the default action, with the
        // journal still saying "building".
        if takeSignal() != nil { signal(SIGHUP, SIG_IGN) }
        TerminalSafety.removeCrashHandler()
    }

    // MARK: - Signals

    static let interruptSignals = [SIGINT, SIGTERM, SIGHUP]

    /// The dispositions before the console took the signals, put back by `stop()`.
    nonisolated(unsafe) private static let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// A plain `sigaction` handler, installed at every start: a libdispatch signal source
    /// cannot be made twice in one process once the disposition was reset (its handler is
    /// not installed again), so the second console of a run (Home → a release) ignored
    /// SIGHUP and spun on a closed terminal.
    private func installSignalHandlers() {
        Self.receivedSignal.store(0, ordering: .sequentiallyConsistent)
        for sig in Self.interruptSignals {
            _ = gantry_install_handler(sig, { sig in
                // The loop picks this up within one input timeout, stops the builds and journals
                // it. A second signal a second or more later means the loop is stuck, so restore
                // the terminal here and leave (async-signal-safe calls only; the builds die with
                // Gantry). One sooner is the same event: a closed terminal signals twice at once
                // (the kernel's SIGHUP to the foreground group, then the shell's to its jobs),
                // and leaving on it would skip stopping the builds and journaling that.
                let now = NcursesTerminal.monotonicMilliseconds()
                let (exchanged, _) = NcursesTerminal.receivedSignal.compareExchange(expected: 0, desired: sig, ordering: .sequentiallyConsistent)
                if exchanged {
                    NcursesTerminal.firstSignalAt.store(now, ordering: .sequentiallyConsistent)
                } else if now - NcursesTerminal.firstSignalAt.load(ordering: .sequentiallyConsistent) >= 1000 {
                    TerminalSafety.restoreFromSignal()
                    _exit(128 + sig)
                }
            }, 0, Self.previousActions.advanced(by: Int(sig)))
        }
    }

    /// CLOCK_MONOTONIC in milliseconds (async-signal-safe).
    private static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    private func takeSignal() -> Int32? {
        let s = Self.receivedSignal.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    // MARK: - Drawing

    private func currentSize() -> GridSize { GridSize(width: Int(gantry_cols()), height: Int(gantry_lines())) }

    /// The columns of row `y` that differ from the previous grid, widened to whole graphemes.
    private func changedSpan(_ grid: CellGrid, _ old: CellGrid?, row y: Int) -> Range<Int>? {
        guard let old else { return 0..<grid.width }
        let changed = (0..<grid.width).filter { grid[$0, y] != old[$0, y] }
        guard var start = changed.first, var end = changed.last.map({ $0 + 1 }) else { return nil }
        if start > 0, grid[start, y].isContinuation || old[start, y].isContinuation { start -= 1 }
        if end < grid.width, grid[end, y].isContinuation || old[end, y].isContinuation { end += 1 }
        return start..<end
    }

    private func drawRow(_ grid: CellGrid, row y: Int, columns: Range<Int>, window: UnsafeMutablePointer<WINDOW>) {
        var x = columns.lowerBound
        while x < columns.upperBound {
            let style = grid[x, y].style
            var text = ""
            let startX = x
            while x < columns.upperBound, grid[x, y].style == style {
                let cell = grid[x, y]
                if !cell.isContinuation { text.append(cell.grapheme) }
                x += 1
            }
            let (attributes, pair) = cursesAttributes(style)
            wattr_set(window, attributes, pair, nil)
            _ = wmove(window, Int32(y), Int32(startX))
            waddstr(window, text)
        }
    }

    private func cursesAttributes(_ style: CellStyle) -> (attr_t, Int16) {
        var a = gantry_a_normal()
        if style.bold { a |= gantry_a_bold() }
        if style.reverse { a |= gantry_a_reverse() }
        if style.dim { a |= gantry_a_dim() }
        if style.underline { a |= gantry_a_underline() }
        return (a, theme.usesColor ? Int16(style.role.rawValue) : 0)
    }

    /// One colour pair per role, numbered by the role, on the terminal's own background.
    private func setUpColors() {
        start_color()
        use_default_colors()
        let foreground: [ColorRole: Int32] = [
            .accent: COLOR_CYAN, .success: COLOR_GREEN, .warning: COLOR_YELLOW,
            .danger: COLOR_RED, .muted: COLOR_WHITE, .info: COLOR_BLUE,
        ]
        for (role, color) in foreground { init_pair(Int16(role.rawValue), Int16(color), -1) }
    }

    // MARK: - Keys

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case gantry_key_up(): return .up
        case gantry_key_down(): return .down
        case gantry_key_left(): return .left
        case gantry_key_right(): return .right
        case gantry_key_ppage(): return .pageUp
        case gantry_key_npage(): return .pageDown
        case gantry_key_home(): return .home
        case gantry_key_end(): return .end
        case gantry_key_enter(): return .enter
        case gantry_key_btab(): return .backTab
        case gantry_key_backspace(): return .backspace
        default: return nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default:
            guard value >= 32, let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}

/// The terminal could not be taken over.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
