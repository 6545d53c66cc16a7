import GantryEngine

/// The command log (`L`): what Gantry ran and wrote in this console, oldest first, bounded so
/// a long session (every blob of every platform) keeps only the newest `capacity` entries.
public struct CommandLog: Hashable, Sendable {
    public static let capacity = 500
    /// The newest entries, oldest first.
    public var entries: [Activity] = []
    /// How many entries went through the log in total.
    public private(set) var total = 0

    public init() {}

    public mutating func append(_ activity: Activity) {
        total += 1
        entries.append(activity)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }
}
