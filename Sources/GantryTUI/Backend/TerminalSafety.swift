import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back the way it was, even from a crash.
///
/// `save()` records the terminal modes before ncurses starts; the crash handler (SIGSEGV,
/// SIGABRT, SIGBUS, SIGILL, SIGFPE) restores them with async-signal-safe calls only
/// (`tcsetattr`, `write`), then re-raises the signal with the handler that was there before
/// (Swift's backtracer or the default action), so the crash report still prints.
public enum TerminalSafety {
    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    // Written once before the handlers are installed, read only by the handlers.
    nonisolated(unsafe) private static let savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) private static let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) private static var hasSavedModes = false

    /// Records the current terminal modes of standard input.
    static func save() {
        hasSavedModes = tcgetattr(STDIN_FILENO, savedModes) == 0
    }

    /// Installs the crash handler (once per start of the console).
    static func installCrashHandler() {
        for signal in crashSignals {
            _ = gantry_install_handler(signal, { sig in
                TerminalSafety.restoreFromSignal()
                // Put back what was there before and raise again so it runs.
                sigaction(sig, TerminalSafety.previousActions.advanced(by: Int(sig)), nil)
                raise(sig)
            }, Int32(bitPattern: UInt32(SA_RESETHAND) | UInt32(SA_NODEFER)), previousActions.advanced(by: Int(signal)))
        }
    }

    /// Removes the crash handler, restoring the previous ones.
    static func removeCrashHandler() {
        for signal in crashSignals { sigaction(signal, previousActions.advanced(by: Int(signal)), nil) }
    }

    /// Restores modes, leaves the alternate screen, resets attributes and shows the cursor,
    /// using only async-signal-safe calls.
    static func restoreFromSignal() {
        if hasSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, savedModes) }
        let reset: StaticString = "\u{1B}[0m\u{1B}[?1049l\u{1B}[?25h\r\n"
        _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
    }
}
