import GantryTestSupport
import GantryTUI
import Synchronization

/// Frames the console drew, kept when they first showed some text.
final class ConsoleFrames: Sendable {
    private let seen = Mutex<[String: String]>([:])

    /// Waits (bounded) until the console's last frame contains `text`, and keeps that frame.
    func wait(for text: String) -> HeadlessTerminal.Step {
        .untilScreen(deadline: Patience.wait) { grid in
            let screen = grid.render()
            guard screen.contains(text) else { return false }
            self.seen.withLock { $0[text] = screen }
            return true
        }
    }

    /// The frame that first showed `text`, or "" when none did.
    func frame(_ text: String) -> String { seen.withLock { $0[text] } ?? "" }

    /// Waits until a frame showed `text`; false if none did.
    func awaitFrame(_ text: String) async throws -> Bool {
        (try? await poll("a frame showing \"\(text)\"") { !frame(text).isEmpty }) != nil
    }
}
