import Foundation

extension Process {
    /// Starts the process with no signal blocked.
    ///
    /// Foundation spawns a child with the signal mask of the calling thread, and the threads
    /// of the concurrency pool block almost every signal (SIGTERM, SIGINT and SIGHUP among
    /// them). A child started from a test so ignored `terminate()`: every registry took its
    /// full SIGKILL grace to stop, and a test cancelled by its time limit waited forever on a
    /// `gantry` or skopeo that could never be stopped, idle, which is how full runs hung.
    public func runUnblocked() throws {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try run()
    }
}
