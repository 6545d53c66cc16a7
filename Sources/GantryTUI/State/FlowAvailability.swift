import GantryEngine

/// What the release flow allows now, and why not when it does not (lazygit's disabled
/// reasons): the console disables keys with these reasons and shows them in the footer,
/// the help and the status line. The driver asks the flow; the console decides nothing.
public struct FlowAvailability: Hashable, Sendable {
    public enum Availability: Hashable, Sendable {
        case allowed
        case refused(String)

        public var reason: String? {
            if case .refused(let reason) = self { reason } else { nil }
        }
    }

    public var publish: Availability
    /// Per platform: building it again, stopping its build.
    public var retry: [Platform: Availability]
    public var cancel: [Platform: Availability]
    /// The failed or cancelled platforms, and whether publishing may leave them out.
    public var missing: [Platform]
    public var publishWithout: Availability

    public init(
        publish: Availability = .refused("nothing to publish yet: the pending tags appear once every platform is built"),
        retry: [Platform: Availability] = [:], cancel: [Platform: Availability] = [:], missing: [Platform] = [],
        publishWithout: Availability = .refused("no platform failed or was cancelled")
    ) {
        self.publish = publish
        self.retry = retry
        self.cancel = cancel
        self.missing = missing
        self.publishWithout = publishWithout
    }

    /// Before the flow has said anything.
    public static let initial = FlowAvailability()
}
