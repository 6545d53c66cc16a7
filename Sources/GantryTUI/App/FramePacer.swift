/// Decides when to redraw: only when something changed, and at most `maxFramesPerSecond` times a second.
public struct FramePacer: Sendable {
    public let interval: Double
    public private(set) var lastFrame = -Double.infinity
    public private(set) var frames = 0

    public init(maxFramesPerSecond: Double = 30) { interval = 1 / maxFramesPerSecond }

    /// True when a dirty screen may be drawn at `now`.
    public func mayDraw(dirty: Bool, now: Double) -> Bool { dirty && now - lastFrame >= interval }

    /// Records a frame drawn at `now`.
    public mutating func drew(at now: Double) {
        lastFrame = now
        frames += 1
    }

    /// How long to wait for input before the next frame is due (or `idle` when nothing is dirty).
    public func wait(dirty: Bool, now: Double, idle: Double) -> Double {
        guard dirty else { return idle }
        return min(idle, max(0, lastFrame + interval - now))
    }
}
