import Foundation
import Synchronization

/// Standard output or standard error, written so that output never stops or corrupts a
/// release: a write that fails (a closed pipe: EPIPE, with SIGPIPE ignored) means "no more
/// output" on that stream, and the work goes on. `text` is for people and goes through the
/// sanitiser; `raw` is for JSON (which escapes control characters itself) and our own bytes.
public final class OutputStream: Sendable {
    public static let standardOutput = OutputStream(descriptor: STDOUT_FILENO)
    public static let standardError = OutputStream(descriptor: STDERR_FILENO)

    private let descriptor: Int32
    /// Also serialises writers, so lines from concurrent events never interleave.
    private let isClosed = Mutex(false)

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes text from anywhere, escape sequences and control characters removed.
    public func text(_ text: String) {
        raw(Sanitizer.text(SecretRedaction.redact(text)))
    }

    /// Writes `bytes` as they are.
    public func raw(_ bytes: String) {
        isClosed.withLock { closed in
            guard !closed else { return }
            var data = Array(SecretRedaction.redact(bytes).utf8)
            if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
            var offset = 0
            while offset < data.count {
                let n = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    closed = true
                    return
                }
                offset += n
            }
        }
    }

    /// Writes a prompt (no line break added).
    public func prompt(_ text: String) {
        isClosed.withLock { closed in
            guard !closed else { return }
            let data = Array(Sanitizer.text(text).utf8)
            if data.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress!, $0.count) }) < 0 { closed = true }
        }
    }
}
