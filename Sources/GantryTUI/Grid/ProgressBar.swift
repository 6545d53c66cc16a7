/// A horizontal bar showing `done` of `total` steps in a fixed number of columns.
public struct ProgressBar: Sendable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    /// The filled fraction in 0...1 (0 when the total is unknown).
    public var fraction: Double {
        guard total > 0 else { return 0 }
        return min(1, max(0, Double(done) / Double(total)))
    }

    /// `width` columns of `█` (done) and `░` (to do); eighth blocks for the partial cell.
    public func text(width: Int) -> String {
        guard width > 0 else { return "" }
        let eighths = Int((fraction * Double(width * 8)).rounded(.down))
        let full = eighths / 8
        var s = String(repeating: "█", count: full)
        if full < width {
            let partial = eighths % 8
            s += partial == 0 ? "░" : String(Self.partials[partial])
            s += String(repeating: "░", count: width - full - 1)
        }
        return s
    }

    private static let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
}
